// The admin's Sources page and the seller's read-only view of its own terms: settings (how long
// a ping's bids are held, the return window, the time zone its portal counts in) and payout rules
// per source and vertical. A seller may set its own time zone; the rest is the admin's.
import {
  deletePayoutRule,
  isPostgresTimeZone,
  listSources,
  upsertPayoutRule,
  upsertSellerTimeZone,
  upsertSourceSettings,
} from "@leadflow/db";
import type { z } from "zod";
import type { Services } from "../context";
import { AppError } from "../errors";
import type { payoutRuleInput, removeRuleInput, sellerTimeZoneInput, sourceSettingsInput } from "./schemas";

export async function listSellerSources(s: Services, sellerOrgId?: string) {
  return listSources(s.db, sellerOrgId);
}

async function requireSeller(s: Services, sellerOrgId: string) {
  const [one] = await listSources(s.db, sellerOrgId);
  if (!one) throw new AppError("NOT_FOUND", "No seller has that id.");
}

/** Intl knew the zone (the schema checked); the portal's SQL needs PostgreSQL to know it too. */
async function requirePostgresZone(s: Services, timeZone: string) {
  if (!(await isPostgresTimeZone(s.db, timeZone))) {
    const message = `The database does not know the time zone "${timeZone}"; choose a nearby zone with the same clock.`;
    throw new AppError("BAD_REQUEST", message, { timeZone: [message] });
  }
}

export async function setSourceSettings(s: Services, by: string | null, input: z.output<typeof sourceSettingsInput>) {
  await requireSeller(s, input.sellerOrgId);
  if (input.timeZone !== undefined) await requirePostgresZone(s, input.timeZone);
  await upsertSourceSettings(s.db, { ...input, at: s.clock.now(), by });
}

/** A seller's own save of the zone its portal counts in. */
export async function setOwnTimeZone(
  s: Services,
  sellerOrgId: string,
  by: string,
  input: z.output<typeof sellerTimeZoneInput>,
) {
  await requirePostgresZone(s, input.timeZone);
  await upsertSellerTimeZone(s.db, { sellerOrgId, timeZone: input.timeZone, at: s.clock.now(), by });
  return { timeZone: input.timeZone };
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
