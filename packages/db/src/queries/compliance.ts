// Compliance evidence (docs/compliance.md): consent claims per lead and provider, and the consent
// recorded by the public DJ inquiry form.
import { and, asc, eq } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { inquiryConsents, leadConsentClaims } from "../schema";

export type ConsentClaimRow = typeof leadConsentClaims.$inferSelect;
export type ConsentClaimInsert = typeof leadConsentClaims.$inferInsert;
export type InquiryConsentRow = typeof inquiryConsents.$inferSelect;
export type InquiryConsentInsert = typeof inquiryConsents.$inferInsert;

/**
 * Records a claim; a lead is claimed once per provider, so a second writer (a retry, a race with
 * another process) keeps the first row. Returns the row that is stored either way, and whether it
 * is this one.
 */
export async function insertConsentClaim(
  db: DbOrTx,
  row: ConsentClaimInsert,
): Promise<{ row: ConsentClaimRow; inserted: boolean }> {
  const [inserted] = await db.insert(leadConsentClaims).values(row).onConflictDoNothing().returning();
  if (inserted) return { row: inserted, inserted: true };
  const [kept] = await db
    .select()
    .from(leadConsentClaims)
    .where(and(eq(leadConsentClaims.leadId, row.leadId), eq(leadConsentClaims.provider, row.provider)));
  return { row: kept!, inserted: false };
}

/** A lead's claims, oldest first. */
export async function listConsentClaims(db: DbOrTx, leadId: string): Promise<ConsentClaimRow[]> {
  return db
    .select()
    .from(leadConsentClaims)
    .where(eq(leadConsentClaims.leadId, leadId))
    .orderBy(asc(leadConsentClaims.claimedAt), asc(leadConsentClaims.provider));
}

export async function insertInquiryConsent(db: DbOrTx, row: InquiryConsentInsert): Promise<InquiryConsentRow> {
  const [r] = await db.insert(inquiryConsents).values(row).returning();
  return r!;
}

export async function listInquiryConsents(db: DbOrTx, marketLeadId: string): Promise<InquiryConsentRow[]> {
  return db
    .select()
    .from(inquiryConsents)
    .where(eq(inquiryConsents.marketLeadId, marketLeadId))
    .orderBy(asc(inquiryConsents.at));
}
