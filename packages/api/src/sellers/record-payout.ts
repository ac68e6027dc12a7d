// The payout, written when a lead sells: by the rule its ping was quoted with (a post), else the
// source's rule for the lead's vertical now (a direct /leads lead). One statement writes the
// ledger entry, the lead's payout_cents and the timeline's "payout" event, once per lead.
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

/** Answers the payout earned (0 when unsold or the source has no rule). */
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
