export * from "./schemas";
export * from "./request-return";
export * from "./decide-return";
export * from "./rates";
export * from "./list";
export * from "./events";
export { registerReturnsJobs, RETURN_RATES_QUEUE } from "./jobs";
