// Every query function, by domain (STYLE.md item 12). Services import these from @leadflow/db.

export * from "./auth";
export * from "./buyers";
export * from "./admin";
export * from "./auction";
export * from "./calls";
export * from "./email";
export * from "./system";
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
export * from "./search";
export * from "./sellers";
export * from "./payouts";
export * from "./overview";
export * from "./seller-webhooks";
export * from "./seller-portal";
export * from "./notify";
