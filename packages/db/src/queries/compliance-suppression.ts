// Suppression lists and the do-not-call registry (docs/compliance.md): hashes in, hits out. The
// api hashes (packages/api/src/compliance/suppression); nothing here ever sees a phone or email.
import { and, asc, count, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { rowsOf, type DbOrTx } from "../client";
import { pgArray } from "./auction";
import {
  buyers,
  dncImports,
  dncNumbers,
  leads,
  suppressions,
  suppressionUploads,
  verticals,
  type SuppressionRefusal,
} from "../schema";

export type SuppressionKind = "PHONE" | "EMAIL";
export type SuppressionSource = "UPLOAD" | "DO_NOT_CONTACT";

export interface SuppressionEntry {
  kind: SuppressionKind;
  hash: string;
}

/** Adds entries to one list (buyerId null: the global list); returns how many were new. */
export async function insertSuppressions(
  db: DbOrTx,
  list: { buyerId: string | null; source: SuppressionSource; uploadId: string | null },
  entries: readonly SuppressionEntry[],
): Promise<number> {
  if (entries.length === 0) return 0;
  const rows = await db
    .insert(suppressions)
    .values(entries.map((e) => ({ ...e, buyerId: list.buyerId, source: list.source, uploadId: list.uploadId })))
    .onConflictDoNothing()
    .returning({ id: suppressions.id });
  return rows.length;
}

/**
 * Who may not have the person these hashes name: a global hit (null) or the buyers whose own list
 * names them; and whether the number is on the do-not-call registry. One statement.
 */
export async function findSuppressionHits(
  db: DbOrTx,
  hashes: readonly string[],
  dncNumber: number | null,
): Promise<{ buyerIds: (string | null)[]; dnc: boolean }> {
  const rows = await db.execute<{ buyer_id: string | null; dnc: boolean }>(sql`
    select s.buyer_id, false as dnc from ${suppressions} s
    where ${hashes.length > 0 ? sql`s.hash = any(${pgArray(hashes.map((h) => h.replace(/[^0-9a-f]/g, "")))}::text[])` : sql`false`}
    union all
    select null, true from ${dncNumbers} d where ${dncNumber === null ? sql`false` : sql`d.number = ${dncNumber}`}`);
  const out = { buyerIds: [] as (string | null)[], dnc: false };
  for (const r of rowsOf<{ buyer_id: string | null; dnc: boolean }>(rows)) {
    if (r.dnc) out.dnc = true;
    else out.buyerIds.push(r.buyer_id);
  }
  return out;
}

export async function createSuppressionUpload(
  db: DbOrTx,
  v: { buyerId: string | null; fileName: string; createdBy: string | null; at: Date },
): Promise<string> {
  const [row] = await db
    .insert(suppressionUploads)
    .values({ buyerId: v.buyerId, fileName: v.fileName, createdBy: v.createdBy, createdAt: v.at })
    .returning({ id: suppressionUploads.id });
  return row!.id;
}

export async function updateSuppressionUpload(
  db: DbOrTx,
  id: string,
  v: {
    lines: number;
    added: number;
    alreadyListed: number;
    refused: number;
    refusals: SuppressionRefusal[];
    finishedAt: Date | null;
  },
): Promise<void> {
  await db.update(suppressionUploads).set(v).where(eq(suppressionUploads.id, id));
}

export async function getSuppressionUpload(db: DbOrTx, id: string) {
  const [row] = await db
    .select({
      id: suppressionUploads.id,
      buyerId: suppressionUploads.buyerId,
      buyerName: buyers.name,
      fileName: suppressionUploads.fileName,
      createdAt: suppressionUploads.createdAt,
      finishedAt: suppressionUploads.finishedAt,
      lines: suppressionUploads.lines,
      added: suppressionUploads.added,
      alreadyListed: suppressionUploads.alreadyListed,
      refused: suppressionUploads.refused,
      refusals: suppressionUploads.refusals,
    })
    .from(suppressionUploads)
    .leftJoin(buyers, eq(buyers.id, suppressionUploads.buyerId))
    .where(eq(suppressionUploads.id, id));
  return row;
}

export async function listSuppressionUploads(db: DbOrTx, limit: number) {
  return db
    .select({
      id: suppressionUploads.id,
      buyerId: suppressionUploads.buyerId,
      buyerName: buyers.name,
      fileName: suppressionUploads.fileName,
      createdAt: suppressionUploads.createdAt,
      finishedAt: suppressionUploads.finishedAt,
      lines: suppressionUploads.lines,
      added: suppressionUploads.added,
      alreadyListed: suppressionUploads.alreadyListed,
      refused: suppressionUploads.refused,
    })
    .from(suppressionUploads)
    .leftJoin(buyers, eq(buyers.id, suppressionUploads.buyerId))
    .orderBy(desc(suppressionUploads.createdAt))
    .limit(limit);
}

/** Entries per list: the global one (buyerId null) and each buyer's. */
export async function countSuppressions(db: DbOrTx) {
  return db
    .select({ buyerId: suppressions.buyerId, buyerName: buyers.name, kind: suppressions.kind, n: count() })
    .from(suppressions)
    .leftJoin(buyers, eq(buyers.id, suppressions.buyerId))
    .groupBy(suppressions.buyerId, buyers.name, suppressions.kind);
}

/** Whether these hashes are on the global list (the lead page's "Do not contact" state). */
export async function globalSuppressionOf(db: DbOrTx, hashes: readonly string[]): Promise<number> {
  if (hashes.length === 0) return 0;
  const [row] = await db
    .select({ n: count() })
    .from(suppressions)
    .where(and(isNull(suppressions.buyerId), inArray(suppressions.hash, [...hashes])));
  return row?.n ?? 0;
}

export async function countDncNumbers(db: DbOrTx): Promise<number> {
  const [row] = await db.select({ n: sql<string>`count(*)` }).from(dncNumbers);
  return Number(row?.n ?? 0);
}

export async function insertDncImport(db: DbOrTx, v: typeof dncImports.$inferInsert): Promise<void> {
  await db.insert(dncImports).values(v);
}

export async function listDncImports(db: DbOrTx, limit: number) {
  return db.select().from(dncImports).orderBy(desc(dncImports.createdAt)).limit(limit);
}

/** Each vertical's compliance screens (the compliance settings page). */
export async function listVerticalChecks(db: DbOrTx) {
  return db
    .select({
      key: verticals.key,
      name: verticals.name,
      checkSuppression: verticals.checkSuppression,
      checkDnc: verticals.checkDnc,
      retentionDays: verticals.retentionDays,
    })
    .from(verticals)
    .orderBy(asc(verticals.name));
}

/** false when there is no such vertical. The buyer-config trigger makes the next auction see it. */
export async function setVerticalChecks(
  db: DbOrTx,
  key: string,
  v: { checkSuppression: boolean; checkDnc: boolean },
): Promise<boolean> {
  const rows = await db.update(verticals).set(v).where(eq(verticals.key, key)).returning({ key: verticals.key });
  return rows.length > 0;
}

/** The normalized phone and email a lead names (what its keyed hashes are made from). */
export async function getLeadPerson(db: DbOrTx, leadId: string) {
  const [row] = await db
    .select({ phoneNormalized: leads.phoneNormalized, emailNormalized: leads.emailNormalized })
    .from(leads)
    .where(eq(leads.id, leadId));
  return row;
}
