// The admin's Sources page and the seller's read-only view of its own terms: settings (how long
// a ping's bids are held, the return window) and payout rules per source and vertical.
import { deletePayoutRule, listSources, upsertPayoutRule, upsertSourceSettings } from "@leadflow/db";
import type { z } from "zod";
import type { Services } from "../context";
import { AppError } from "../errors";
import type { payoutRuleInput, removeRuleInput, sourceSettingsInput } from "./schemas";

export async function listSellerSources(s: Services, sellerOrgId?: string) {
  return listSources(s.db, sellerOrgId);
}

async function requireSeller(s: Services, sellerOrgId: string) {
  const [one] = await listSources(s.db, sellerOrgId);
  if (!one) throw new AppError("NOT_FOUND", "No seller has that id.");
}

export async function setSourceSettings(s: Services, by: string | null, input: z.output<typeof sourceSettingsInput>) {
  await requireSeller(s, input.sellerOrgId);
  await upsertSourceSettings(s.db, { ...input, at: s.clock.now(), by });
}

export async function setPayoutRule(s: Services, by: string | null, input: z.output<typeof payoutRuleInput>) {
  await requireSeller(s, input.sellerOrgId);
  // Only the field the kind uses is kept, so a rule never carries a stale amount of another kind.
  await upsertPayoutRule(s.db, {
    sellerOrgId: input.sellerOrgId,
    vertical: input.vertical,
    kind: input.kind,
    fixedCents: input.kind === "FIXED_PER_LEAD" ? input.fixedCents : null,
    shareBp: input.kind === "REVENUE_SHARE" ? input.shareBp : null,
    marginCents: input.kind === "BID_MINUS_MARGIN" ? input.marginCents : null,
    minMarginCents: input.minMarginCents,
    at: s.clock.now(),
    by,
  });
}

/** Idempotent: removing a rule that is not there (a second click) answers removed: false. */
export async function removePayoutRule(s: Services, input: z.output<typeof removeRuleInput>) {
  return { removed: await deletePayoutRule(s.db, input.sellerOrgId, input.vertical) };
}
