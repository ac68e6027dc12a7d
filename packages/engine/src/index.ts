export * from "./clock";
export * from "./roles";
