// The whole schema. Each domain has its own file; add a line here when you add one.
export * from "./enums";
export * from "./auth";
export * from "./buyers";
export * from "./leads";
export * from "./marketplace";
export * from "./calls";
export * from "./analytics";
export * from "./returns";
export * from "./config-version";
export * from "./sellers";
export * from "./seller-webhooks";
export * from "./notify";
export * from "./billing";
