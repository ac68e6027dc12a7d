export * from "./client";
export * from "./boss";
export * from "./outage";
export * as schema from "./schema";
export * from "./schema";
export * from "./queries/sellers";
export * from "./queries/payouts";
