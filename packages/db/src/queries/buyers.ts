// Buyers, their zips and the verticals they buy in. Every write that changes what an auction
// would read bumps buyer_config_version in the same transaction (a trigger), so nothing here
// needs to know the auction's buyer cache.
import type { LostReason } from "@leadflow/engine";
import { and, asc, desc, eq, gte, inArray, isNotNull, like, lt, ne, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { buyerZips, buyers, leads, orgs, returnCredits, transactions, verticals } from "../schema";

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
  if (zips.length)
    await tx
      .insert(buyerZips)
      .values(zips.map((z) => ({ buyerId, zip: z.zip, priority: z.priority, maxBidCents: z.maxBidCents ?? null })));
}

/** Which of `keys` are verticals. */
export async function getExistingVerticalKeys(db: DbOrTx, keys: readonly string[]): Promise<Set<string>> {
  return new Set(
    (
      await db
        .select({ key: verticals.key })
        .from(verticals)
        .where(inArray(verticals.key, [...keys]))
    ).map((v) => v.key),
  );
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
  const rows = await db
    .update(buyers)
    .set({ active, updatedAt: at })
    .where(eq(buyers.id, id))
    .returning({ id: buyers.id });
  return rows.length > 0;
}

/** Buyer keys starting with `prefix`. */
export async function listBuyerKeysLike(db: DbOrTx, prefix: string): Promise<string[]> {
  return (
    await db
      .select({ key: buyers.key })
      .from(buyers)
      .where(like(buyers.key, `${prefix}%`))
  ).map((r) => r.key);
}

/** Buyers by key, with what import must keep: the request template and whether its secret is stored. */
export function listBuyerKeysIn(db: DbOrTx, keys: string[]) {
  return db
    .select({
      id: buyers.id,
      key: buyers.key,
      type: buyers.type,
      requestTemplate: buyers.requestTemplate,
      requestAuthSecret: buyers.requestAuthSecret,
    })
    .from(buyers)
    .where(inArray(buyers.key, keys));
}

/** Every buyer with its organisation's name, by key (the export file's order). */
export function listBuyersByKey(db: DbOrTx) {
  return db
    .select({ b: buyers, org: orgs.name })
    .from(buyers)
    .innerJoin(orgs, eq(orgs.id, buyers.orgId))
    .orderBy(asc(buyers.key));
}

export function listVerticalsByKey(db: DbOrTx): Promise<VerticalRow[]> {
  return db.select().from(verticals).orderBy(asc(verticals.key));
}

export function listVerticalsByName(db: DbOrTx): Promise<VerticalRow[]> {
  return db.select().from(verticals).orderBy(asc(verticals.name));
}

/** Inserts the vertical or changes its name, floor and active flag. */
export async function upsertVertical(
  db: DbOrTx,
  v: Required<Pick<VerticalInsert, "key" | "name" | "floorCents" | "active">>,
): Promise<VerticalRow> {
  const [row] = await db
    .insert(verticals)
    .values(v)
    .onConflictDoUpdate({ target: verticals.key, set: { name: v.name, floorCents: v.floorCents, active: v.active } })
    .returning();
  return row!;
}

/** Stores a contractor buyer's webhook secret (orgId scopes it); false when no such contractor. */
export async function setContractorWebhookSecret(
  db: DbOrTx,
  id: string,
  orgId: string | null,
  secret: string,
  at: Date,
): Promise<boolean> {
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
    verticals: await db
      .select({ key: verticals.key, name: verticals.name, rankNetOfReturns: verticals.rankNetOfReturns })
      .from(verticals)
      .orderBy(asc(verticals.name)),
    buyers: await db
      .select({
        id: buyers.id,
        name: buyers.name,
        org: orgs.name,
        type: buyers.type,
        returnWindowDays: buyers.returnWindowDays,
        returnCapPercent: buyers.returnCapPercent,
        returnRateBp: buyers.returnRateBp,
      })
      .from(buyers)
      .innerJoin(orgs, eq(orgs.id, buyers.orgId))
      .orderBy(asc(buyers.name)),
  };
}

/** false when there is no such vertical. */
export async function setVerticalRankNetOfReturns(db: DbOrTx, key: string, on: boolean): Promise<boolean> {
  const rows = await db
    .update(verticals)
    .set({ rankNetOfReturns: on })
    .where(eq(verticals.key, key))
    .returning({ key: verticals.key });
  return rows.length > 0;
}

/** false when there is no such buyer. */
export async function setBuyerReturnTerms(
  db: DbOrTx,
  id: string,
  terms: { returnWindowDays: number; returnCapPercent: number },
  at: Date,
): Promise<boolean> {
  const rows = await db
    .update(buyers)
    .set({ returnWindowDays: terms.returnWindowDays, returnCapPercent: terms.returnCapPercent, updatedAt: at })
    .where(eq(buyers.id, id))
    .returning({ id: buyers.id });
  return rows.length > 0;
}

// ---- a buyer's activity and the lost-reason analytics (api buyers/insights.ts) ---------------

/** A window [from, to). */
export interface ActivityRange {
  from: Date;
  to: Date;
}

const inRange = (col: typeof transactions.createdAt | typeof leads.receivedAt, r: ActivityRange) =>
  and(gte(col, r.from), lt(col, r.to));
const ofOrg = (orgId: string | null, buyerId?: string): SQL | undefined =>
  and(orgId ? eq(buyers.orgId, orgId) : undefined, buyerId ? eq(buyers.id, buyerId) : undefined);

/** The latest transactions of the org's buyers (null: all), newest first. */
export function listBuyerActivity(
  db: DbOrTx,
  orgId: string | null,
  q: { limit: number; before?: Date | undefined; buyerId?: string | undefined },
) {
  return db
    .select({
      id: transactions.id,
      leadId: transactions.leadId,
      buyerId: transactions.buyerId,
      buyer: buyers.name,
      buyerType: buyers.type,
      kind: transactions.kind,
      pingOutcome: transactions.pingOutcome,
      bidCents: transactions.bidCents,
      isWinner: transactions.isWinner,
      lostReason: transactions.lostReason,
      priceCents: transactions.priceCents,
      latencyMs: transactions.latencyMs,
      cascadePosition: transactions.cascadePosition,
      deliveryMethod: transactions.deliveryMethod,
      createdAt: transactions.createdAt,
      vertical: leads.vertical,
      zip: leads.zip,
    })
    .from(transactions)
    .innerJoin(buyers, eq(buyers.id, transactions.buyerId))
    .innerJoin(leads, eq(leads.id, transactions.leadId))
    .where(and(ofOrg(orgId, q.buyerId), q.before ? lt(transactions.createdAt, q.before) : undefined))
    .orderBy(desc(transactions.createdAt), desc(transactions.id))
    .limit(q.limit);
}

/** Per buyer in the window: pings, bids, wins, spend net of return credits; and counts by lost reason. */
export async function getBuyerSummaryRows(db: DbOrTx, orgId: string | null, r: ActivityRange) {
  const totals = await db
    .select({
      buyerId: buyers.id,
      buyer: buyers.name,
      type: buyers.type,
      pings: sql<number>`count(*) filter (where ${transactions.kind} = 'PING')`.mapWith(Number),
      bids: sql<number>`count(*) filter (where ${transactions.bidCents} is not null)`.mapWith(Number),
      wins: sql<number>`count(*) filter (where ${transactions.isWinner})`.mapWith(Number),
      // Net of return credits (one per sale, so the join never doubles a row).
      spentCents:
        sql<number>`coalesce(sum(${transactions.priceCents}) filter (where ${transactions.isWinner}), 0) - coalesce(sum(${returnCredits.amountCents}), 0)`.mapWith(
          Number,
        ),
      creditedCents: sql<number>`coalesce(sum(${returnCredits.amountCents}), 0)`.mapWith(Number),
      avgBidCents: sql<number | null>`round(avg(${transactions.bidCents}))`.mapWith((v) =>
        v === null ? null : Number(v),
      ),
      avgLatencyMs: sql<number | null>`round(avg(${transactions.latencyMs}))`.mapWith((v) =>
        v === null ? null : Number(v),
      ),
    })
    .from(transactions)
    .innerJoin(buyers, eq(buyers.id, transactions.buyerId))
    .leftJoin(returnCredits, eq(returnCredits.saleId, transactions.id))
    .where(and(ofOrg(orgId), inRange(transactions.createdAt, r)))
    .groupBy(buyers.id, buyers.name, buyers.type)
    .orderBy(buyers.name);
  const reasons = await db
    .select({
      buyerId: transactions.buyerId,
      reason: transactions.lostReason,
      count: sql<number>`count(*)`.mapWith(Number),
    })
    .from(transactions)
    .innerJoin(buyers, eq(buyers.id, transactions.buyerId))
    .where(and(ofOrg(orgId), inRange(transactions.createdAt, r), isNotNull(transactions.lostReason)))
    .groupBy(transactions.buyerId, transactions.lostReason);
  return { totals, reasons };
}

/**
 * Lost reasons in the window by reason, by buyer and per hour or day bucket (in `timeZone`), from
 * transactions (all but CASCADE_EXHAUSTED) and, for CASCADE_EXHAUSTED, from leads.unsold_reason.
 */
export async function getLostReasonRows(db: DbOrTx, r: ActivityRange, bucket: "hour" | "day", timeZone: string) {
  const txWhere = and(
    inRange(transactions.createdAt, r),
    isNotNull(transactions.lostReason),
    ne(transactions.lostReason, "CASCADE_EXHAUSTED"),
  );
  const leadWhere = and(inRange(leads.receivedAt, r), eq(leads.unsoldReason, "CASCADE_EXHAUSTED"));
  const byReasonTx = await db
    .select({ reason: sql<LostReason>`${transactions.lostReason}`, count: sql<number>`count(*)`.mapWith(Number) })
    .from(transactions)
    .where(txWhere)
    .groupBy(transactions.lostReason);
  const [exhausted] = await db
    .select({ count: sql<number>`count(*)`.mapWith(Number) })
    .from(leads)
    .where(leadWhere);
  const byBuyer = await db
    .select({
      buyerId: buyers.id,
      buyer: buyers.name,
      type: buyers.type,
      reason: sql<LostReason>`${transactions.lostReason}`,
      count: sql<number>`count(*)`.mapWith(Number),
    })
    .from(transactions)
    .innerJoin(buyers, eq(buyers.id, transactions.buyerId))
    .where(txWhere)
    .groupBy(buyers.id, buyers.name, buyers.type, transactions.lostReason);
  const unit = sql.raw(`'${bucket}'`);
  const txBucket = sql<string>`to_char(date_trunc(${unit}, ${transactions.createdAt} at time zone ${timeZone}), 'YYYY-MM-DD"T"HH24:MI')`;
  const leadBucket = sql<string>`to_char(date_trunc(${unit}, ${leads.receivedAt} at time zone ${timeZone}), 'YYYY-MM-DD"T"HH24:MI')`;
  const overTx = await db
    .select({
      bucket: txBucket,
      reason: sql<LostReason>`${transactions.lostReason}`,
      count: sql<number>`count(*)`.mapWith(Number),
    })
    .from(transactions)
    .where(txWhere)
    .groupBy(sql`1`, transactions.lostReason);
  const overLeads = await db
    .select({
      bucket: leadBucket,
      reason: sql<LostReason>`'CASCADE_EXHAUSTED'`,
      count: sql<number>`count(*)`.mapWith(Number),
    })
    .from(leads)
    .where(leadWhere)
    .groupBy(sql`1`);
  return { byReasonTx, exhausted: exhausted?.count ?? 0, byBuyer, overTx, overLeads };
}
