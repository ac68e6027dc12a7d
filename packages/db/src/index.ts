export * from "./client";
export * from "./boss";
export * as schema from "./schema";
export * from "./schema";
