// The screens a lead passes before any buyer sees it (docs/compliance.md): the vertical chooses
// which apply; one indexed query answers all of them. The engine turns a hit into SUPPRESSED for
// everyone (global list, do-not-call) or for the buyers whose own list names the person.
import { findSuppressionHits, type SuppressionHits } from "@leadflow/db";
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

/**
 * What every screen would look up for this lead (hashes under `key`, null without a phone or
 * email; the do-not-call number): the statement that writes a started lead looks them all up
 * (insertLeadWithIntake's `screen`) and screenLead keeps the answers its vertical's checks apply.
 */
export function screenKeys(
  key: string | null,
  lead: { phoneNormalized: string | null; emailNormalized: string | null },
): { hashes: string[]; dncNumber: number | null } {
  if (!key) return { hashes: [], dncNumber: null };
  const { phone, hashes } = leadHashes(key, lead);
  return { hashes, dncNumber: dncKey(phone) };
}

/**
 * What the vertical's screens find for this lead; undefined when nothing (or nothing applies).
 * `looked`: the lookups of every screen, made already by the statement that wrote the lead
 * (screenKeys); without it, one query.
 */
export async function screenLead(
  s: Pick<Services, "db" | "personHashSecret">,
  checks: VerticalChecks,
  lead: { phoneNormalized: string | null; emailNormalized: string | null },
  looked?: SuppressionHits,
): Promise<LeadScreening | undefined> {
  if (!checks.checkSuppression && !checks.checkDnc) return undefined;
  let hits: SuppressionHits;
  if (looked) hits = { buyerIds: checks.checkSuppression ? looked.buyerIds : [], dnc: checks.checkDnc && looked.dnc };
  else {
    const { phone, hashes } = leadHashes(await personHashKey(s), lead);
    const number = checks.checkDnc ? dncKey(phone) : null;
    hits = await findSuppressionHits(s.db, checks.checkSuppression ? hashes : [], number);
  }
  if (!hits.dnc && hits.buyerIds.length === 0) return undefined;
  const everyone = hits.buyerIds.includes(null) ? GLOBAL_SUPPRESSION_DETAIL : hits.dnc ? DNC_DETAIL : null;
  const buyers: Record<string, string> = {};
  for (const id of hits.buyerIds) if (id) buyers[id] = BUYER_SUPPRESSION_DETAIL;
  return { everyone, buyers };
}
