export * from "./channels";
export * from "./jobs";
export * from "./link";
export * from "./offer-message";
export * from "./send";
export * from "./settings";
export * from "./profile";
