export * from "./client";
export * from "./boss";
export * from "./outage";
export * as schema from "./schema";
export * from "./schema";
// --- queries-a: auction, buyers, calls, auth, email, admin (queries/index.ts) ---
export * from "./queries";
// --- end queries-a ---
