// Buyers: settings validation, row ↔ engine mapping, and the JSON export/import.
export * from "./mapping";
export * from "./schemas";
export * from "./service";
export * from "./request-template";
export * from "./transfer";
export { formatPath, parseJsonWithLines } from "./json-lines";
