export * from "./auth/password";
export * from "./auth/sessions";
export * from "./auth/tokens";
export * from "./context";
export * from "./errors";
export * from "./root";
export * from "./trpc";
export * from "./jobs";
