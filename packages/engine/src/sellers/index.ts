export * from "./values";
export * from "./payout";
export * from "./ping";
