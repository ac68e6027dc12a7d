// The server's named surface for what runs it from outside (the demo launcher, the proofs, the
// benchmarks, the browser tests' server): build the app, start the whole process, read the config.
export { buildApp, BODY_LIMIT, SESSION_COOKIE, type AppOptions } from "./app";
export { loadConfig, type Config } from "./config";
export { createLogger } from "./log";
export { DEFAULT_RATE_LIMITS, type RateLimitSettings } from "./rate-limits";
export { startServer, type Running } from "./server";
