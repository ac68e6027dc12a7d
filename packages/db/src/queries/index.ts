// Every query function, by domain (STYLE.md item 12). Services import these from @leadflow/db.

// --- queries-a: auction, buyers, calls, auth, email, admin ---
export * from "./auth";
export * from "./buyers";
export * from "./admin";
export * from "./auction";
export * from "./calls";
export * from "./email";
export * from "./system";
// --- end queries-a ---
