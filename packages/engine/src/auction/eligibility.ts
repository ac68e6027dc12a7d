/**
 * Whether a buyer may take part, and if not, exactly why: the verdict goes on the lead's timeline
 * and answers a buyer's "why didn't I get this lead". Checks run from the cheapest, most static
 * fact (active, vertical, area) to the ones that change by the minute (hours, caps, duplicates),
 * and the first failure is the reason.
 */
import { formatCents as cents } from "./money";
import { priceFor, serviceZipFor } from "./pricing";
import { localParts, withinHours } from "./time";
import type {
  AuctionLead,
  Billing,
  Buyer,
  BuyerCounters,
  ConsentClaimVerdict,
  LeadConsent,
  LeadScreening,
  LeadValidation,
} from "./types";
import { COMPLIANCE_REQUIREMENTS } from "./values";
import type { ComplianceRequirement, LostReason, NotEligibleCode, SaleRuleReason } from "./values";

/** The facts behind a refusal, for screens and queries that should not parse the detail text. */
export type VerdictFacts = Record<string, string | number | boolean | null>;

export type EligibilityVerdict =
  /** priority: the zip priority the buyer serves the lead's zip at (1 is best). */
  | { buyerId: string; eligible: true; priority: number; detail: string }
  | { buyerId: string; eligible: false; reason: LostReason | NotEligibleCode; detail: string; facts?: VerdictFacts };

/** A failed check: its words and its facts. */
export interface CheckFailure {
  detail: string;
  facts: VerdictFacts;
}

export type SaleRuleVerdict = { ok: true } | { ok: false; reason: SaleRuleReason; detail: string };

/** The requirements the lead's consent evidence does not meet. */
export function missingCompliance(
  requirements: readonly ComplianceRequirement[] | undefined,
  consent: LeadConsent,
): ComplianceRequirement[] {
  const has: Record<ComplianceRequirement, boolean> = {
    TRUSTED_FORM: Boolean(consent.trustedFormCertUrl?.trim()),
    JORNAYA: Boolean(consent.jornayaLeadId?.trim()),
  };
  return [...new Set(requirements ?? [])].filter((r) => !has[r]);
}

const CLAIM_OF: Record<ComplianceRequirement, keyof LeadConsent> = {
  TRUSTED_FORM: "trustedFormClaim",
  JORNAYA: "jornayaClaim",
};

/**
 * For a buyer that requires claimed consent: the first required certificate that was not claimed,
 * was refused by its provider, could not be checked, or does not match the lead. Presence is
 * checked before (missingCompliance); this asks what the provider said.
 */
export function unclaimedConsent(
  requirements: readonly ComplianceRequirement[] | undefined,
  consent: LeadConsent,
): CheckFailure | null {
  for (const r of [...new Set(requirements ?? [])]) {
    const claim = consent[CLAIM_OF[r]] as ConsentClaimVerdict | null | undefined;
    const facts = { requirement: r, claim: claim?.status ?? "NOT_CLAIMED", matched: claim?.matched ?? null };
    if (!claim) return { detail: `requires a claimed ${r} certificate; it was not claimed`, facts };
    if (claim.status === "ERROR")
      return { detail: `requires a claimed ${r} certificate; the provider could not be reached`, facts };
    if (claim.status === "FAILED")
      return { detail: `requires a claimed ${r} certificate; the provider refused the claim`, facts };
    if (claim.matched === false)
      return { detail: `requires a ${r} certificate that matches the lead; it does not`, facts };
  }
  return null;
}

/**
 * A buyer's validation filters against the lead's checks: an invalid phone, an invalid or
 * disposable email. A lead that was never validated passes (nothing is known against it); a
 * missing phone or email is not "invalid" (whether it is required is the vertical's business).
 */
export function validationFailure(buyer: Buyer, validation: LeadValidation | null | undefined): CheckFailure | null {
  if (!validation) return null;
  if (buyer.refuseInvalidPhone && validation.phone === "INVALID") {
    return { detail: "refuses leads whose phone number is not valid", facts: { check: "phone", result: "INVALID" } };
  }
  if (buyer.refuseDisposableEmail && (validation.email === "INVALID" || validation.email === "DISPOSABLE")) {
    const what = validation.email === "INVALID" ? "is not a valid address" : "is at a disposable domain";
    return {
      detail: `refuses leads whose email ${what}`,
      facts: { check: "email", result: validation.email },
    };
  }
  return null;
}

/**
 * The first of the sale rules on its own: hours depend only on the moment, so the sale checks them
 * before it takes any lock (packages/api/src/auction/sale.ts).
 */
export function checkHours(buyer: Buyer, at: Date): SaleRuleVerdict {
  if (withinHours(at, buyer.timeZone, buyer.hours)) return { ok: true };
  const p = localParts(at, buyer.timeZone);
  const hm = `${String(p.hour).padStart(2, "0")}:${String(p.minute).padStart(2, "0")}`;
  return { ok: false, reason: "OUTSIDE_HOURS", detail: `closed at ${p.weekday} ${hm} ${buyer.timeZone}` };
}

/**
 * Hours, caps, money budgets, duplicates and funds: the rules that must hold at the moment of
 * sale. The service calls this again inside the sale transaction with counters read under lock,
 * and turns a failure into a rejected POST with this reason, so a race can never oversell.
 * `priceCents` is the sale's price; before the price is known (at the auction's start) it is 0,
 * and a budget already spent or a balance with nothing available still refuses.
 */
export function checkSaleRules(buyer: Buyer, counters: BuyerCounters, at: Date, priceCents = 0): SaleRuleVerdict {
  const hours = checkHours(buyer, at);
  if (!hours.ok) return hours;
  const caps = buyer.caps ?? {};
  const periods = [
    ["daily", caps.daily, counters.salesToday, "today"],
    ["weekly", caps.weekly, counters.salesThisWeek, "this week"],
    ["monthly", caps.monthly, counters.salesThisMonth, "this month"],
  ] as const;
  for (const [name, cap, sold, when] of periods) {
    if (cap !== null && cap !== undefined && sold >= cap) {
      return {
        ok: false,
        reason: "CAP_REACHED",
        detail: `${name} cap ${cap} reached (${sold} sold ${when}, ${buyer.timeZone})`,
      };
    }
  }
  const billing = buyer.billing;
  const money = counters.money;
  if (billing && money) {
    const budgets = [
      ["daily", billing.budgetDailyCents, money.spentTodayCents, "today"],
      ["monthly", billing.budgetMonthlyCents, money.spentThisMonthCents, "this month"],
    ] as const;
    for (const [name, budget, spent, when] of budgets) {
      if (budget !== null && budget !== undefined && (spent >= budget || spent + priceCents > budget)) {
        return {
          ok: false,
          reason: "CAP_REACHED",
          detail: `${name} budget ${cents(budget)} reached (${cents(spent)} spent ${when}, ${buyer.timeZone}; this sale ${cents(priceCents)})`,
        };
      }
    }
  }
  const days = buyer.duplicateLookbackDays ?? 0;
  if (days > 0 && counters.duplicateWithinLookback) {
    return { ok: false, reason: "DUPLICATE_LEAD", detail: `bought this phone or email within the last ${days} days` };
  }
  if (billing && money) {
    const available = availableCents(billing, money.balanceCents);
    if (available !== null && (available <= 0 || priceCents > available)) {
      return {
        ok: false,
        reason: "INSUFFICIENT_FUNDS",
        detail:
          billing.mode === "PREPAID"
            ? `prepaid balance ${cents(money.balanceCents)} does not cover ${cents(priceCents)}`
            : `credit limit ${cents(billing.creditLimitCents ?? 0)} reached (balance ${cents(money.balanceCents)}, this sale ${cents(priceCents)})`,
      };
    }
  }
  return { ok: true };
}

/** What the buyer may still spend: its balance, plus its credit limit; null: no limit (invoiced). */
export function availableCents(billing: Billing, balanceCents: number): number | null {
  if (billing.mode === "PREPAID") return balanceCents;
  if (billing.mode === "CREDIT_LIMIT") return balanceCents + (billing.creditLimitCents ?? 0);
  return null;
}

/** Whether the sale needs the buyer's money read under its lock: a balance to keep or a budget. */
export function needsMoney(billing: Billing | undefined): boolean {
  if (!billing) return false;
  return (
    billing.mode !== "INVOICED" ||
    (billing.budgetDailyCents !== null && billing.budgetDailyCents !== undefined) ||
    (billing.budgetMonthlyCents !== null && billing.budgetMonthlyCents !== undefined)
  );
}

export function checkEligibility(
  lead: AuctionLead,
  buyer: Buyer,
  counters: BuyerCounters,
  at: Date,
): EligibilityVerdict {
  const no = (reason: LostReason | NotEligibleCode, detail: string, facts?: VerdictFacts): EligibilityVerdict => ({
    buyerId: buyer.id,
    eligible: false,
    reason,
    detail,
    ...(facts ? { facts } : {}),
  });
  if (!buyer.active) return no("INACTIVE", "buyer is paused");
  const vertical = lead.vertical.trim().toLowerCase();
  if (!buyer.verticals.some((v) => v.trim().toLowerCase() === vertical)) {
    return no("WRONG_VERTICAL", `does not buy ${lead.vertical}`);
  }
  const screened = screenedFor(lead.screening, buyer.id);
  if (screened) return no("SUPPRESSED", screened);
  const zip = serviceZipFor(buyer.serviceZips, lead.zip);
  if (!zip) return no("NOT_IN_AREA", `does not serve zip ${lead.zip}`);
  const missing = missingCompliance(buyer.compliance, lead.consent);
  if (missing.length > 0) {
    return no("COMPLIANCE_MISSING", `requires ${missing.join(", ")}; the lead has none`, {
      requirement: missing.join(","),
      claim: "ABSENT",
      matched: null,
    });
  }
  if (buyer.requireClaimedConsent) {
    const unclaimed = unclaimedConsent(buyer.compliance, lead.consent);
    if (unclaimed) return no("COMPLIANCE_MISSING", unclaimed.detail, unclaimed.facts);
  }
  const invalid = validationFailure(buyer, lead.validation);
  if (invalid) return no("VALIDATION_FAILED", invalid.detail, invalid.facts);
  if (buyer.type === "CONTRACTOR" && priceFor(buyer, lead.zip, "EXCLUSIVE") === null) {
    return no("NO_PRICE", `${buyer.pricingModel} pricing without a price for zip ${lead.zip}`);
  }
  const sale = checkSaleRules(buyer, counters, at);
  if (!sale.ok) return no(sale.reason, sale.detail);
  return {
    buyerId: buyer.id,
    eligible: true,
    priority: zip.priority,
    detail: `serves zip ${lead.zip} at priority ${zip.priority}`,
  };
}

/** The certificates the lead carries, by requirement. */
export function carriedConsent(consent: LeadConsent): ComplianceRequirement[] {
  const missing = missingCompliance(COMPLIANCE_REQUIREMENTS, consent);
  return COMPLIANCE_REQUIREMENTS.filter((r) => !missing.includes(r));
}

/** The screens' verdict for one buyer: the detail of why it may not have the person, or null. */
export function screenedFor(screening: LeadScreening | undefined, buyerId: string): string | null {
  return screening?.everyone ?? screening?.buyers[buyerId] ?? null;
}

/**
 * Which of the lead's certificates must be claimed before the first ping: those an active buyer
 * of the vertical requires claimed (its verdict depends on the answer), among the buyers the
 * compliance screens left the person to. A claim is paid for: a person the screens refuse to
 * every buyer that wants one never costs a claim. Every other certificate is claimed after a
 * sale, for the record (docs/compliance.md).
 */
export function claimsBeforeAuction(
  buyers: readonly Buyer[],
  consent: LeadConsent,
  screening?: LeadScreening,
): ComplianceRequirement[] {
  const wanted = new Set(
    buyers
      .filter((b) => b.active && b.requireClaimedConsent && !screenedFor(screening, b.id))
      .flatMap((b) => b.compliance ?? []),
  );
  return carriedConsent(consent).filter((r) => wanted.has(r));
}
