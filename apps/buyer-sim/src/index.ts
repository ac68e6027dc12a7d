// The public surface: start a sim in-process, its config types, and the Standard Webhooks
// helpers (so the server's own signer can be checked against an independent verifier).
export { startBuyerSim } from "./server";
export type { BuyerSim, BuyerSimOptions } from "./server";
export {
  BuyerSimConfigError,
  BuyerSimConfigSchema,
  ContractorConfigSchema,
  DEFAULT_REJECT_REASONS,
  FAILURE_MODES,
  NetworkConfigSchema,
  parseBuyerSimConfig,
  parseContractorConfig,
  parseNetworkConfig,
} from "./config";
export type {
  BuyerSimConfig,
  BuyerSimConfigInput,
  ContractorConfig,
  ContractorConfigInput,
  Distribution,
  FailureMode,
  FailureRates,
  NetworkConfig,
  NetworkConfigInput,
} from "./config";
export type { BuyerInput, BuyerKind, BuyerSimStats, BuyerView } from "./registry";
export type { NetworkStats } from "./network";
export type { ContractorStats, ReceivedWebhook } from "./contractor";
export type { PingBody, PostBody } from "./wire";
export { findContact } from "./wire";
export { demoBuyerSimConfig, generateNetworks, parseLatencyFlag } from "./demo-config";
export type { GenerateNetworksOptions } from "./demo-config";
export { signWebhook, verifyWebhook, WEBHOOK_TOLERANCE_SECONDS } from "./webhook-signature";
export type { WebhookVerifyFailure, WebhookVerifyResult } from "./webhook-signature";
export { mulberry32, sample } from "./random";
