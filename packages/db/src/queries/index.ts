// Query functions: (db or transaction, typed params) → typed rows. Services in packages/api call
// these and import no drizzle operator or table themselves.

// ---- queries-b: marketplace, analytics, insight, returns
export * from "./marketplace";
export * from "./marketplace-availability";
export * from "./marketplace-djs";
export * from "./marketplace-stats";
export * from "./returns";
export * from "./returns-rates";
export * from "./insight";
export * from "./insight-replay";
export * from "./analytics-buckets";
export * from "./analytics-aggregate";
export * from "./analytics";
export * from "./analytics-rollup";
// ---- end queries-b
