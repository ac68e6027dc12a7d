export * from "./aggregate";
export * from "./auction";
export * from "./buckets";
export * from "./filters";
export * from "./jobs";
export * from "./marketplace";
export * from "./overview";
export * from "./rollup";
