// The seller side: ping then post, payouts and their reversal, and the sources' terms.
export * from "./schemas";
export * from "./ping-lead";
export * from "./post-lead";
export * from "./post-refused";
export * from "./record-payout";
export * from "./reverse-payout";
export * from "./manage-sources";
export type { HeldPings } from "./held-pings";
export * from "./profit-by-source";
export * from "./webhook-settings";
export {
  attemptSellerWebhook,
  dispatchSellerEvents,
  queueSellerWebhookJob,
  sweepSellerWebhooks,
  SELLER_WEBHOOK_QUEUE,
  SELLER_WEBHOOK_SWEEP_QUEUE,
} from "./webhook-delivery";
export * from "./portal";
export * from "./portal-schemas";
export * from "./csv";
