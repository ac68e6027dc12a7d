export * from "./values";
export * from "./rules";
