/** Domain error codes; the API maps each to an HTTP/tRPC status in one place. */
export const MARKETPLACE_ERROR_CODES = [
  "INVALID_INPUT",
  "EVENT_IN_PAST",
  "INVALID_TRANSITION",
  "INSUFFICIENT_CREDITS",
] as const;
export type MarketplaceErrorCode = (typeof MARKETPLACE_ERROR_CODES)[number];

/** Thrown for input a caller should have rejected; `message` is safe to show a user. */
export class MarketplaceError extends Error {
  override readonly name = "MarketplaceError";
  constructor(
    readonly code: MarketplaceErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}
