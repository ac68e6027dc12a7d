import type { LedgerEntryKind } from "./enums";
import { MarketplaceError } from "./errors";

/** Credits flow in by grant, purchase and refund, and out by unlocking a customer's contact. */
export const LEDGER_ENTRY_SIGN: Readonly<Record<LedgerEntryKind, 1 | -1>> = {
  grant: 1,
  purchase: 1,
  refund: 1,
  unlock: -1,
};

export const DEFAULT_UNLOCK_COST_CREDITS = 1;

/**
 * The balance after one entry; never below zero. Credits are whole units, not money, so the
 * price paid for a purchase is recorded separately in cents. The database enforces the same
 * floor with a CHECK and does the charge-once part with a unique (dj, lead) unlock row.
 */
export function applyLedgerEntry(balance: number, kind: LedgerEntryKind, credits: number): number {
  if (!Number.isSafeInteger(credits) || credits <= 0) {
    throw new MarketplaceError("INVALID_INPUT", "Credits must be a whole number above zero.", "credits");
  }
  const next = balance + LEDGER_ENTRY_SIGN[kind] * credits;
  if (next < 0) {
    throw new MarketplaceError(
      "INSUFFICIENT_CREDITS",
      "Not enough credits to unlock this contact. Buy more credits to continue.",
    );
  }
  return next;
}
