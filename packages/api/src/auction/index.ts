// The auction services: intake, the auction run, sales, delivery and the views of a lead.
export * from "./intake";
export * from "./run-auction";
export * from "./sale";
export * from "./delivery";
export * from "./jobs";
export * from "./enqueue";
export * from "./queues";
export * from "./view";
export * from "./submit";
export * from "./sweep";
export * from "./lease";
export { closeBuyerAgent, buyerAgent } from "./http";
export { writeResult, type ResultRow, type Written } from "./finalize";
export * from "../email/outbox";
export { leadEmail } from "../email/lead-email";
