// Buyers, their zips and the verticals they buy in. Every write that changes what an auction
// would read bumps buyer_config_version in the same transaction (a trigger), so nothing here
// needs to know the auction's buyer cache.
import { and, asc, eq, inArray, like } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { buyerZips, buyers, orgs, verticals } from "../schema";

export type BuyerRow = typeof buyers.$inferSelect;
export type BuyerInsert = typeof buyers.$inferInsert;
export type BuyerZipRow = typeof buyerZips.$inferSelect;
export type VerticalRow = typeof verticals.$inferSelect;
export type VerticalInsert = typeof verticals.$inferInsert;
export type ZipPrice = { zip: string; priority: number; maxBidCents?: number | null };

/** Buyers with their organisation's name, by type then name; orgId and ids narrow it. */
export function listBuyersWithOrgName(db: DbOrTx, orgId: string | null, ids?: string[]) {
  return db
    .select({ b: buyers, orgName: orgs.name })
    .from(buyers)
    .innerJoin(orgs, eq(orgs.id, buyers.orgId))
    .where(and(orgId ? eq(buyers.orgId, orgId) : undefined, ids ? inArray(buyers.id, ids) : undefined))
    .orderBy(asc(buyers.type), asc(buyers.name));
}

export function listZipsOfBuyers(db: DbOrTx, buyerIds: string[]): Promise<BuyerZipRow[]> {
  return db.select().from(buyerZips).where(inArray(buyerZips.buyerId, buyerIds));
}

export function listAllBuyerZips(db: DbOrTx): Promise<BuyerZipRow[]> {
  return db.select().from(buyerZips);
}

/** The buyer's row locked `for update` (orgId scopes it; null: any organisation). */
export async function getBuyerForUpdate(tx: DbOrTx, id: string, orgId: string | null): Promise<BuyerRow | undefined> {
  const [row] = await tx
    .select()
    .from(buyers)
    .where(and(eq(buyers.id, id), orgId ? eq(buyers.orgId, orgId) : undefined))
    .for("update");
  return row;
}

/** Deletes the buyer's zips and writes `zips` instead (the caller's transaction keeps it atomic). */
export async function replaceBuyerZips(tx: DbOrTx, buyerId: string, zips: readonly ZipPrice[]): Promise<void> {
  await tx.delete(buyerZips).where(eq(buyerZips.buyerId, buyerId));
  if (zips.length) await tx.insert(buyerZips).values(zips.map((z) => ({ buyerId, zip: z.zip, priority: z.priority, maxBidCents: z.maxBidCents ?? null })));
}

/** Which of `keys` are verticals. */
export async function getExistingVerticalKeys(db: DbOrTx, keys: readonly string[]): Promise<Set<string>> {
  return new Set((await db.select({ key: verticals.key }).from(verticals).where(inArray(verticals.key, [...keys]))).map((v) => v.key));
}

export async function listVerticalKeys(db: DbOrTx): Promise<string[]> {
  return (await db.select({ key: verticals.key }).from(verticals)).map((v) => v.key);
}

export async function getOrg(db: DbOrTx, orgId: string) {
  const [org] = await db.select().from(orgs).where(eq(orgs.id, orgId));
  return org;
}

export function listOrgNames(db: DbOrTx) {
  return db.select({ id: orgs.id, name: orgs.name, kind: orgs.kind }).from(orgs);
}

export async function insertBuyer(db: DbOrTx, values: BuyerInsert): Promise<BuyerRow> {
  const [row] = await db.insert(buyers).values(values).returning();
  return row!;
}

export async function updateBuyerRow(db: DbOrTx, id: string, set: Partial<BuyerInsert>): Promise<void> {
  await db.update(buyers).set(set).where(eq(buyers.id, id));
}

/** Sets `active`; false when there is no such buyer. */
export async function setBuyerActiveRow(db: DbOrTx, id: string, active: boolean, at: Date): Promise<boolean> {
  const rows = await db.update(buyers).set({ active, updatedAt: at }).where(eq(buyers.id, id)).returning({ id: buyers.id });
  return rows.length > 0;
}

/** Buyer keys starting with `prefix`. */
export async function listBuyerKeysLike(db: DbOrTx, prefix: string): Promise<string[]> {
  return (await db.select({ key: buyers.key }).from(buyers).where(like(buyers.key, `${prefix}%`))).map((r) => r.key);
}

export function listBuyerKeysIn(db: DbOrTx, keys: string[]) {
  return db.select({ id: buyers.id, key: buyers.key, type: buyers.type }).from(buyers).where(inArray(buyers.key, keys));
}

/** Every buyer with its organisation's name, by key (the export file's order). */
export function listBuyersByKey(db: DbOrTx) {
  return db.select({ b: buyers, org: orgs.name }).from(buyers).innerJoin(orgs, eq(orgs.id, buyers.orgId)).orderBy(asc(buyers.key));
}

export function listVerticalsByKey(db: DbOrTx): Promise<VerticalRow[]> {
  return db.select().from(verticals).orderBy(asc(verticals.key));
}

export function listVerticalsByName(db: DbOrTx): Promise<VerticalRow[]> {
  return db.select().from(verticals).orderBy(asc(verticals.name));
}

/** Inserts the vertical or changes its name, floor and active flag. */
export async function upsertVertical(db: DbOrTx, v: Required<Pick<VerticalInsert, "key" | "name" | "floorCents" | "active">>): Promise<VerticalRow> {
  const [row] = await db
    .insert(verticals)
    .values(v)
    .onConflictDoUpdate({ target: verticals.key, set: { name: v.name, floorCents: v.floorCents, active: v.active } })
    .returning();
  return row!;
}

/** Stores a contractor buyer's webhook secret (orgId scopes it); false when no such contractor. */
export async function setContractorWebhookSecret(db: DbOrTx, id: string, orgId: string | null, secret: string, at: Date): Promise<boolean> {
  const rows = await db
    .update(buyers)
    .set({ webhookSecret: secret, updatedAt: at })
    .where(and(eq(buyers.id, id), eq(buyers.type, "CONTRACTOR"), orgId ? eq(buyers.orgId, orgId) : undefined))
    .returning({ id: buyers.id });
  return rows.length > 0;
}

/** Verticals' keys and names, by name (filter choices). */
export function listVerticalNames(db: DbOrTx) {
  return db.select({ key: verticals.key, name: verticals.name }).from(verticals).orderBy(asc(verticals.name));
}

/** Buyers' ids, names and types, by name (filter choices). */
export function listBuyerNames(db: DbOrTx) {
  return db.select({ id: buyers.id, name: buyers.name, type: buyers.type }).from(buyers).orderBy(asc(buyers.name));
}

/** The return settings page: each vertical's ranking switch and each buyer's return terms. */
export async function getReturnSettings(db: DbOrTx) {
  return {
    verticals: await db.select({ key: verticals.key, name: verticals.name, rankNetOfReturns: verticals.rankNetOfReturns }).from(verticals).orderBy(asc(verticals.name)),
    buyers: await db
      .select({ id: buyers.id, name: buyers.name, org: orgs.name, type: buyers.type, returnWindowDays: buyers.returnWindowDays, returnCapPercent: buyers.returnCapPercent, returnRateBp: buyers.returnRateBp })
      .from(buyers)
      .innerJoin(orgs, eq(orgs.id, buyers.orgId))
      .orderBy(asc(buyers.name)),
  };
}

/** false when there is no such vertical. */
export async function setVerticalRankNetOfReturns(db: DbOrTx, key: string, on: boolean): Promise<boolean> {
  const rows = await db.update(verticals).set({ rankNetOfReturns: on }).where(eq(verticals.key, key)).returning({ key: verticals.key });
  return rows.length > 0;
}

/** false when there is no such buyer. */
export async function setBuyerReturnTerms(db: DbOrTx, id: string, terms: { returnWindowDays: number; returnCapPercent: number }, at: Date): Promise<boolean> {
  const rows = await db
    .update(buyers)
    .set({ returnWindowDays: terms.returnWindowDays, returnCapPercent: terms.returnCapPercent, updatedAt: at })
    .where(eq(buyers.id, id))
    .returning({ id: buyers.id });
  return rows.length > 0;
}


