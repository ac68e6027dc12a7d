export * from "./client";
export * from "./boss";
export * from "./outage";
export * as schema from "./schema";
export * from "./schema";
// ---- queries-b: marketplace, analytics, insight, returns
export * from "./queries";
// ---- end queries-b
