export * from "./token";
export * from "./redact";
export * from "./notify";
export * from "./choose";
export * from "./messages";
