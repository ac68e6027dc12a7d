// The screens a lead passes before any buyer sees it (docs/compliance.md): the vertical chooses
// which apply. The statement that starts the auction reads what the lists say of the person
// (db screenHitsSql: their keyed hashes on the suppression lists, their number on the do-not-call
// registry), so screening adds no round trip; the engine turns a hit into SUPPRESSED for everyone
// (global list, do-not-call) or for the buyers whose own list names the person. The litigator
// list, an outside provider, is asked afterwards (../litigator/check.ts).
import { findSuppressionHits, type ScreenHits } from "@leadflow/db";
import type { LeadScreening } from "@leadflow/engine";
import type { Services } from "../../context";
import { dncKey, leadPhoneE164, normalizeEmail, personHash, personHashKey } from "./person";

export interface VerticalChecks {
  checkSuppression: boolean;
  checkDnc: boolean;
  /** Ask the litigator list (LITIGATOR_*) before any buyer sees the lead. */
  checkLitigator: boolean;
  /** A litigator check that cannot be completed lets the lead through (false: refused, the default). */
  litigatorFailOpen: boolean;
}

export const GLOBAL_SUPPRESSION_DETAIL = "on the global suppression list";
export const BUYER_SUPPRESSION_DETAIL = "on this buyer's suppression list";
export const DNC_DETAIL = "on the national do-not-call registry";

/** The keyed hashes a lead's phone and email are listed under. */
export function leadHashes(key: string, lead: { phoneNormalized: string | null; emailNormalized: string | null }) {
  const phone = leadPhoneE164(lead.phoneNormalized);
  const email = lead.emailNormalized ? normalizeEmail(lead.emailNormalized) : null;
  return {
    phone,
    hashes: [...(phone ? [personHash(key, phone)] : []), ...(email?.ok ? [personHash(key, email.value)] : [])],
  };
}

/**
 * The keyed hashes kept on a lead (leads.phone_hash, email_hash): what duplicate checks and returns
 * compare once retention has purged the normalized phone and email.
 */
export function leadKeyedHashes(key: string, lead: { phoneNormalized: string | null; emailNormalized: string | null }) {
  const phone = leadPhoneE164(lead.phoneNormalized);
  return {
    phoneHash: phone ? personHash(key, phone) : null,
    emailHash: lead.emailNormalized ? personHash(key, lead.emailNormalized.trim().toLowerCase()) : null,
  };
}

/** The verdicts the vertical's screens give on what the lists say; undefined when nothing applies. */
export function screeningOf(
  checks: Pick<VerticalChecks, "checkSuppression" | "checkDnc">,
  hits: ScreenHits,
): LeadScreening | undefined {
  const buyerIds = checks.checkSuppression ? hits.buyers : [];
  const dnc = checks.checkDnc && hits.dnc;
  if (!dnc && buyerIds.length === 0) return undefined;
  const everyone = buyerIds.includes(null) ? GLOBAL_SUPPRESSION_DETAIL : dnc ? DNC_DETAIL : null;
  const buyers: Record<string, string> = {};
  for (const id of buyerIds) if (id) buyers[id] = BUYER_SUPPRESSION_DETAIL;
  return { everyone, buyers };
}

/**
 * What the vertical's screens find for this lead; undefined when nothing (or nothing applies).
 * `hits`: what the start statement read (no query then); absent or null (a lead without its keyed
 * hashes), the lead's hashes are made here and the lists asked in one indexed query.
 */
export async function screenLead(
  s: Pick<Services, "db" | "personHashSecret">,
  checks: Pick<VerticalChecks, "checkSuppression" | "checkDnc">,
  lead: { phoneNormalized: string | null; emailNormalized: string | null },
  hits?: ScreenHits | null,
): Promise<LeadScreening | undefined> {
  if (!checks.checkSuppression && !checks.checkDnc) return undefined;
  if (hits) return screeningOf(checks, hits);
  const { phone, hashes } = leadHashes(await personHashKey(s), lead);
  const number = checks.checkDnc ? dncKey(phone) : null;
  const found = await findSuppressionHits(s.db, checks.checkSuppression ? hashes : [], number);
  return screeningOf(checks, { buyers: found.buyerIds, dnc: found.dnc });
}
