/**
 * The return rules, pure: the window, the cap, the reasons the platform can verify, the decision
 * that joins them, and the value of a bid net of its buyer's return rate. The service reads the
 * facts (sale time, counts, the lead's phone, an earlier purchase) under a lock and asks here.
 */
import type { ReturnReason, ReturnRule, ReturnStatus } from "./values";

const DAY_MS = 86_400_000;

export type WindowCheck = { ok: true; endsAt: Date } | { ok: false; endsAt: Date; detail: string };

/**
 * A lead may be returned until soldAt + windowDays × 24 h, that instant included. A window of 0
 * days accepts no returns at all.
 */
export function checkReturnWindow(soldAt: Date, now: Date, windowDays: number): WindowCheck {
  const endsAt = new Date(soldAt.getTime() + Math.max(0, windowDays) * DAY_MS);
  if (windowDays <= 0) return { ok: false, endsAt, detail: "this buyer's terms allow no returns" };
  if (now.getTime() > endsAt.getTime()) {
    return { ok: false, endsAt, detail: `the ${windowDays}-day return window closed at ${endsAt.toISOString()}` };
  }
  return { ok: true, endsAt };
}

export interface CapFacts {
  /** 0-100: returns allowed as a share of the leads bought in the billing period. */
  capPercent: number;
  /** Leads this buyer bought in the billing period (winning sales). */
  purchasesInPeriod: number;
  /** Returns this buyer asked for in the period and that were not denied, this one excluded. */
  returnsInPeriod: number;
}

/**
 * Is one more return within the cap? (returns + 1) / purchases ≤ cap%, in integers so 15% of 20
 * allows exactly 3. With no purchases in the period nothing is within the cap.
 */
export function withinReturnCap(c: CapFacts): boolean {
  return (c.returnsInPeriod + 1) * 100 <= c.capPercent * c.purchasesInPeriod;
}

/** How many returns the cap allows in the period. */
export function returnsAllowed(capPercent: number, purchases: number): number {
  return Math.floor((capPercent * purchases) / 100);
}

/**
 * A North American number the platform can reject on its face: not 10 digits, an area code or
 * exchange starting 0 or 1, an N11 service code, the 555-01xx fiction range, or one digit
 * repeated. It proves a number is bad, never that a good-looking one is live.
 */
export function phoneProblem(raw: string | null | undefined): string | null {
  if (!raw) return "the lead has no phone number";
  const all = raw.replace(/\D/g, "");
  const d = all.length === 11 && all.startsWith("1") ? all.slice(1) : all;
  if (d.length !== 10) return `${all.length} digits, not a 10-digit number`;
  const area = d.slice(0, 3);
  const exchange = d.slice(3, 6);
  if (area[0] === "0" || area[0] === "1") return `area code ${area} cannot start with ${area[0]}`;
  if (area[1] === "1" && area[2] === "1") return `${area} is a service code, not an area code`;
  if (exchange[0] === "0" || exchange[0] === "1") return `exchange ${exchange} cannot start with ${exchange[0]}`;
  if (exchange[1] === "1" && exchange[2] === "1") return `exchange ${exchange} is a service code`;
  if (exchange === "555" && d.slice(6, 8) === "01")
    return `${exchange}-${d.slice(6)} is in the fictional 555-01xx range`;
  if (/^(\d)\1{9}$/.test(d)) return "one digit repeated";
  return null;
}

export interface ReturnFacts {
  reason: ReturnReason;
  /** The lead's phone as received. */
  phone: string | null;
  /** An earlier lead with the same phone or email this buyer bought within its look-back, if any. */
  duplicateOf: { leadId: string; soldAt: Date } | null;
  cap: CapFacts;
}

export interface ReturnDecision {
  status: Extract<ReturnStatus, "APPROVED" | "PENDING">;
  rule: ReturnRule;
  /** Whether the platform could confirm the reason itself. */
  verified: boolean;
  detail: string;
}

/**
 * Verified reasons are approved whatever the cap says (the platform saw the fault itself). Any
 * other request is approved while the buyer is within its cap and waits for an admin past it.
 */
export function autoDecideReturn(f: ReturnFacts): ReturnDecision {
  if (f.reason === "DUPLICATE" && f.duplicateOf) {
    return {
      status: "APPROVED",
      rule: "VERIFIED_DUPLICATE",
      verified: true,
      detail: `same person as lead ${f.duplicateOf.leadId}, bought ${f.duplicateOf.soldAt.toISOString()}`,
    };
  }
  if (f.reason === "INVALID_PHONE") {
    const problem = phoneProblem(f.phone);
    if (problem)
      return {
        status: "APPROVED",
        rule: "VERIFIED_INVALID_PHONE",
        verified: true,
        detail: `phone fails validation: ${problem}`,
      };
  }
  const unverified =
    f.reason === "DUPLICATE"
      ? "no earlier purchase of this person in the look-back; "
      : f.reason === "INVALID_PHONE"
        ? "the phone passes validation; "
        : "";
  const allowed = returnsAllowed(f.cap.capPercent, f.cap.purchasesInPeriod);
  const counts = `${f.cap.returnsInPeriod} of ${allowed} returns allowed (${f.cap.capPercent}% of ${f.cap.purchasesInPeriod} leads) used this period`;
  if (withinReturnCap(f.cap))
    return { status: "APPROVED", rule: "WITHIN_CAP", verified: false, detail: `${unverified}${counts}` };
  return { status: "PENDING", rule: "OVER_CAP", verified: false, detail: `${unverified}${counts}; an admin decides` };
}

/** Approved returns per 10,000 leads bought (basis points); null when nothing was bought. */
export function returnRateBp(approvedReturns: number, purchases: number): number | null {
  if (purchases <= 0) return null;
  return Math.min(10_000, Math.round((approvedReturns * 10_000) / purchases));
}

/**
 * What a bid is worth once the buyer's returns are counted: amount × (1 − rate). A buyer without a
 * rate (too new) is taken at face value. Integer cents, rounded half up.
 */
export function netBidValueCents(amountCents: number, rateBp: number | null | undefined): number {
  if (rateBp == null || rateBp <= 0) return amountCents;
  const bp = Math.min(10_000, rateBp);
  return Math.round((amountCents * (10_000 - bp)) / 10_000);
}
