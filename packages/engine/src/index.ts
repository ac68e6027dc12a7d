export * from "./clock";
export * from "./roles";
export * from "./marketplace";
export * from "./auction";
export * from "./returns";
export * from "./sellers";
export * from "./buyer-terms";
