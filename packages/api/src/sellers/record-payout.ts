// The payout, written when a lead sells: by the rule its ping was quoted with (a post), else the
// source's rule for the lead's vertical now (a direct /leads lead). The ledger entry, the lead's
// payout_cents and the timeline's "payout" event are written once per lead: a post's by its
// result's own statement (postPayout, given to finalize: no statement or commit of its own), a
// direct lead's by one statement after its end (recordPayout, which reads the source's rules).
import { payoutRulesForLead, writePayout } from "@leadflow/db";
import { PAYOUT_RULE_KINDS, payoutFor, pickPayoutRule, type LeadOutcome, type PayoutRule } from "@leadflow/engine";
import { z } from "zod";
import type { Services } from "../context";
import type { HeldPings } from "./held-pings";

const storedRule = z.object({
  kind: z.enum(PAYOUT_RULE_KINDS),
  fixedCents: z.number().int().nullish(),
  shareBp: z.number().int().nullish(),
  marginCents: z.number().int().nullish(),
  minMarginCents: z.number().int(),
});

/** A rule as stored in JSON (a ping's quote, or json_agg of payout_rules); null if it is none. */
export function asPayoutRule(x: unknown): PayoutRule | null {
  const r = storedRule.safeParse(x);
  return r.success ? r.data : null;
}

/**
 * A post's payout, known before its result is written (its ping's rule and the sale's revenue), so
 * finalize writes it in the result's statement (the ledger entry, payout_cents, the `payout`
 * event); null when the lead did not sell.
 */
export function postPayout(
  outcome: LeadOutcome,
  held: HeldPings,
): { amount: number; data: Record<string, unknown> } | null {
  if (outcome.status !== "SOLD") return null;
  const rule = asPayoutRule(held.rule);
  const v = payoutFor(rule, outcome.revenueCents);
  return {
    amount: v.payoutCents,
    data: {
      revenueCents: outcome.revenueCents,
      marginCents: v.marginCents,
      rule: rule?.kind ?? null,
      pingId: held.pingId,
      payoutCents: v.payoutCents,
    },
  };
}

/** A direct lead's payout, written after its end: answers it (0 when unsold or the source has no rule). */
export async function recordPayout(
  s: Services,
  leadId: string,
  outcome: LeadOutcome,
  held?: HeldPings,
): Promise<number> {
  if (outcome.status !== "SOLD") return 0;
  let rule: PayoutRule | null;
  if (held) rule = asPayoutRule(held.rule);
  else {
    const source = await payoutRulesForLead(s.db, leadId);
    rule = source ? asPayoutRule(pickPayoutRule(source.rules, source.vertical)) : null;
  }
  // A direct lead from a source without a rule earns nothing and records nothing; a post records
  // its payout whatever it is, so its timeline always ends with one.
  if (!rule && !held) return 0;
  const v = payoutFor(rule, outcome.revenueCents);
  await writePayout(s.db, {
    leadId,
    amountCents: v.payoutCents,
    at: s.clock.now(),
    data: {
      revenueCents: outcome.revenueCents,
      marginCents: v.marginCents,
      rule: rule?.kind ?? null,
      pingId: held?.pingId ?? null,
    },
  });
  return v.payoutCents;
}
