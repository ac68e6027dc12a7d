export * from "./settings";
export * from "./hash";
export * from "./numbers";
export * from "./log-call";
export * from "./attribution";
export * from "./stats";
export * from "./webhook";
