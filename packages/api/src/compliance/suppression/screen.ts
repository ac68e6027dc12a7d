// The screens a lead passes before any buyer sees it (docs/compliance.md): the vertical chooses
// which apply; one indexed query answers all of them. The engine turns a hit into SUPPRESSED for
// everyone (global list, do-not-call) or for the buyers whose own list names the person.
import { findSuppressionHits } from "@leadflow/db";
import type { LeadScreening } from "@leadflow/engine";
import type { Services } from "../../context";
import { dncKey, leadPhoneE164, normalizeEmail, personHash, personHashKey } from "./person";

export interface VerticalChecks {
  checkSuppression: boolean;
  checkDnc: boolean;
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

/** What the vertical's screens find for this lead; undefined when nothing (or nothing applies). */
export async function screenLead(
  s: Pick<Services, "db" | "personHashSecret">,
  checks: VerticalChecks,
  lead: { phoneNormalized: string | null; emailNormalized: string | null },
): Promise<LeadScreening | undefined> {
  if (!checks.checkSuppression && !checks.checkDnc) return undefined;
  const { phone, hashes } = leadHashes(await personHashKey(s), lead);
  const number = checks.checkDnc ? dncKey(phone) : null;
  const hits = await findSuppressionHits(s.db, checks.checkSuppression ? hashes : [], number);
  if (!hits.dnc && hits.buyerIds.length === 0) return undefined;
  const everyone = hits.buyerIds.includes(null) ? GLOBAL_SUPPRESSION_DETAIL : hits.dnc ? DNC_DETAIL : null;
  const buyers: Record<string, string> = {};
  for (const id of hits.buyerIds) if (id) buyers[id] = BUYER_SUPPRESSION_DETAIL;
  return { everyone, buyers };
}
