export * from "./replay-input";
export * from "./replay";
export * from "./timeline";
export * from "./why-not";
