// The auction's statements: intake, start, buyer set and counters, the sale (claim_sale), the
// result, the safety nets (sweep, reclaim, leases), deliveries and what each party may read of a
// lead. Locks, conditional updates and their order are the correctness argument of the auction
// (docs/architecture.md); the comments beside each say which.
import {
  and,
  arrayContains,
  asc,
  desc,
  eq,
  exists,
  inArray,
  isNotNull,
  isNull,
  lt,
  ne,
  or,
  sql,
  type SQL,
} from "drizzle-orm";
import type { Db, DbOrTx, Tx } from "../client";
import { rowsOf } from "../client";
import {
  buyerConfigVersion,
  buyers,
  buyerZips,
  deliveries,
  emailOutbox,
  leadEvents,
  leads,
  notifications,
  transactions,
  verticals,
  workerLeases,
} from "../schema";
import type { BuyerRow } from "./buyers";

export type LeadRow = typeof leads.$inferSelect;
export type LeadEventInsert = typeof leadEvents.$inferInsert;
export type DeliveryRow = typeof deliveries.$inferSelect;
export type DeliveryInsert = typeof deliveries.$inferInsert;
export type NotificationInsert = typeof notifications.$inferInsert;
/** What an auction reads of its lead. */
export type AuctionLeadRow = Pick<
  LeadRow,
  | "id"
  | "vertical"
  | "zip"
  | "state"
  | "customFields"
  | "contact"
  | "consent"
  | "receivedAt"
  | "phoneNormalized"
  | "emailNormalized"
  | "validation"
>;
/** Per buyer, the last time it bought this person (another lead with the same phone or email). */
export type PersonSales = Record<string, string>;

// ---- commits -------------------------------------------------------------------------------

/** This transaction's commit skips the fsync (auction/commit.ts says when that is safe). */
export async function skipFsync(tx: DbOrTx): Promise<void> {
  await tx.execute(sql`set local synchronous_commit = off`);
}

/**
 * The same for a single statement (its own transaction): select it anywhere in the statement and
 * the statement's commit skips the fsync. set_config(…, true) lasts until the transaction ends,
 * and an implicit transaction ends with the statement.
 */
export const skipFsyncSql = sql`set_config('synchronous_commit', 'off', true)`;

/** A text[] literal; the values are uuids and ISO instants, so no quoting is needed beyond this. */
export function pgArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/["\\]/g, "")}"`).join(",")}}`;
}

// ---- intake and start ----------------------------------------------------------------------

/**
 * A subquery for the statement that starts an auction: who bought this person before, and when
 * (jsonb {buyerId: lastSale}). It starts from the person's other leads by phone and by email
 * (indexed; usually none), so its cost does not grow with anyone's history.
 */
export function personSalesSql(leadId: SQL, phone: SQL, email: SQL, phoneHash: SQL, emailHash: SQL): SQL {
  // LATERAL … OFFSET 0 keeps the plan starting from the person's leads, never from all sales.
  return sql`(select coalesce(jsonb_object_agg(x.buyer_id, x.last_sale), '{}'::jsonb) from (
      select t.buyer_id, max(t.created_at) as last_sale
      from (select d.id from leads d where d.phone_normalized = ${phone} and d.id is distinct from ${leadId}
            union select d.id from leads d where d.email_normalized = ${email} and d.id is distinct from ${leadId}
            union select d.id from leads d where d.phone_hash = ${phoneHash} and d.id is distinct from ${leadId}
            union select d.id from leads d where d.email_hash = ${emailHash} and d.id is distinct from ${leadId}) p
      cross join lateral (select w.buyer_id, w.created_at from transactions w where w.lead_id = p.id and w.is_winner offset 0) t
      group by t.buyer_id) x)`;
}

/**
 * The balances of a vertical's active buyers that keep one (billing mode not INVOICED,
 * docs/billing.md), jsonb {buyerId: cents}, read by the statement that starts an auction (and the
 * ping's context read): a prepaid or credit-limit buyer's pre-check then needs no query of its
 * own. A budget's spend still does (readBuyerMoney). claim_sale reads the balance again under the
 * buyer's lock at the sale, which is what decides.
 */
export function balancesSql(vertical: SQL): SQL {
  return sql`(select coalesce(jsonb_object_agg(u.id, coalesce(b.balance_cents, 0)), '{}'::jsonb)
      from buyers u left join buyer_balances b on b.buyer_id = u.id
      where u.active and u.verticals @> array[${vertical}]::text[] and u.billing_mode <> 'INVOICED')`;
}

/**
 * What the compliance screens find for a person (docs/compliance.md), read by the statement that
 * starts the auction so screening adds no round trip: the lists naming their keyed phone or email
 * hash (null: the global list, else a buyer's id) and whether their 10-digit number is on the
 * do-not-call registry. Hits, not verdicts: the vertical's settings decide which apply
 * (api compliance/suppression/screen.ts). Null for a lead with a phone or email but without its
 * keyed hash (written before the hashes existed): the api then hashes and asks on its own.
 */
export interface ScreenHits {
  buyers: (string | null)[];
  dnc: boolean;
}

export function screenHitsSql(phone: SQL, email: SQL, phoneHash: SQL, emailHash: SQL): SQL {
  // The registry's key is the 10 digits leads.phone_normalized holds (api dncKey, the same rule).
  return sql`(case when (${phone} is not null and ${phoneHash} is null) or (${email} is not null and ${emailHash} is null)
      then null else jsonb_build_object(
        'buyers', (select coalesce(jsonb_agg(s.buyer_id), '[]'::jsonb) from suppressions s where s.hash in (${phoneHash}, ${emailHash})),
        'dnc', exists (select 1 from dnc_numbers d
          where d.number = (case when ${phone} ~ '^[0-9]{10}$' then (${phone})::bigint end))) end)`;
}

export interface InsertLeadParams {
  sellerOrgId: string;
  externalId: string | null;
  vertical: string;
  zip: string;
  state: string | null;
  contact: LeadRow["contact"];
  phone: string | null;
  email: string | null;
  /** Keyed hashes of the phone (E.164) and email, kept after a retention purge. */
  phoneHash?: string | null;
  emailHash?: string | null;
  consent: LeadRow["consent"];
  /** The phone and email checks (api compliance/validation.ts); null: not validated. */
  validation?: LeadRow["validation"];
  customFields: LeadRow["customFields"];
  /** The intake event's data. */
  intake: Record<string, unknown>;
  at: Date;
  deferFsync: boolean;
  /** Write the lead PROCESSING under `owner`, and read what starting it would. */
  start: boolean;
  owner: string | null;
  /** The lead's id when the caller chose it (a post takes its ping's id); otherwise a new one. */
  id?: string | null;
  /**
   * A post (sellers/post-lead.ts): the lead (whose id must be the ping's) is written only if this
   * seller's ping is claimed in the same statement: unused, accepted, unexpired at `at`; the
   * claim marks it used and names the lead. `events` follow the intake event, in order. A lead
   * with the seller's externalId already there leaves the ping unclaimed; one written meanwhile
   * by another statement fails this one (a unique violation), so a claim never stands without
   * its lead.
   */
  claim?: { pingId: string; events: { at: Date; kind: string; data: Record<string, unknown> }[] } | null;
}

/** A post's statement failed because the seller's externalId was taken meanwhile (insertLeadWithIntake's claim). */
export function isExternalIdConflict(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e && typeof e === "object"; depth++) {
    const { code, constraint_name: name, cause } = e as { code?: unknown; constraint_name?: unknown; cause?: unknown };
    if (code === "23505" && name === "leads_seller_external_uq") return true;
    e = cause;
  }
  return false;
}

/**
 * One statement, so one round trip and its own transaction: the vertical check, the lead and its
 * intake event. Nothing is written unless the vertical exists and is active; a resubmitted
 * externalId conflicts and writes nothing either. With `start` the lead is written PROCESSING
 * and the statement also reads the buyer configuration's version and who bought this person.
 */
export async function insertLeadWithIntake(db: DbOrTx, p: InsertLeadParams) {
  const now = p.at.toISOString();
  const claim = p.claim ?? null;
  const events = claim
    ? JSON.stringify([
        { at: now, kind: "intake", data: p.intake },
        ...claim.events.map((e) => ({ at: e.at.toISOString(), kind: e.kind, data: e.data })),
      ])
    : null;
  const res = await db.execute(sql`
    with f as (
      select set_config('synchronous_commit', case when ${p.deferFsync} then 'off' else current_setting('synchronous_commit') end, true)
    ), v as (
      select key from verticals where key = ${p.vertical} and active
    ), c as (${
      claim
        ? sql`
      update seller_pings set used_at = ${now}::timestamptz, lead_id = ${claim.pingId}::uuid
      where id = ${claim.pingId}::uuid and seller_org_id = ${p.sellerOrgId}::uuid and used_at is null and accepted
        and expires_at > ${now}::timestamptz and exists (select 1 from v)
        and not exists (select 1 from leads x where x.seller_org_id = ${p.sellerOrgId}::uuid and x.external_id = ${p.externalId})
      returning id`
        : sql`select 1 as id`
    }), l as (
      insert into leads (id, seller_org_id, external_id, vertical, zip, state, contact, phone_normalized, email_normalized, phone_hash, email_hash, consent, validation, custom_fields, received_at,
        status, processing_at, processing_owner, auction_attempt)
      select coalesce(${p.id ?? null}::uuid, gen_random_uuid()), ${p.sellerOrgId}::uuid, ${p.externalId}, v.key, ${p.zip}, ${p.state}, ${JSON.stringify(p.contact)}::jsonb,
        ${p.phone}, ${p.email}, ${p.phoneHash ?? null}, ${p.emailHash ?? null}, ${JSON.stringify(p.consent)}::jsonb, ${p.validation ? JSON.stringify(p.validation) : null}::jsonb,
        ${JSON.stringify(p.customFields)}::jsonb, ${now}::timestamptz,
        case when ${p.start} then 'PROCESSING' else 'RECEIVED' end::lead_status, case when ${p.start} then ${now}::timestamptz end,
        case when ${p.start} then ${p.owner}::uuid end, case when ${p.start} then 1 else 0 end
      from v, f, c
      ${claim ? sql`` : sql`on conflict do nothing`}
      returning id
    ), e as (${
      claim
        ? sql`
      insert into lead_events (lead_id, at, kind, data)
      select l.id, x.at, x.kind, x.data
      from l cross join rows from (jsonb_to_recordset(${events}::jsonb) as (at timestamptz, kind text, data jsonb)) with ordinality as x(at, kind, data, n)
      order by x.n`
        : sql`
      insert into lead_events (lead_id, at, kind, data)
      select id, ${now}::timestamptz, 'intake', ${JSON.stringify(p.intake)}::jsonb from l`
    })
    select (select count(*) from v)::int as vertical_ok, (select id from l) as id, (select count(*) from c)::int as claimed,
      case when ${p.start} then (select version from buyer_config_version where id = 1) end as config_version,
      case when ${p.start} then ${personSalesSql(sql`null::uuid`, sql`${p.phone}::text`, sql`${p.email}::text`, sql`${p.phoneHash ?? null}::text`, sql`${p.emailHash ?? null}::text`)} end as bought,
      case when ${p.start} then ${screenHitsSql(sql`${p.phone}::text`, sql`${p.email}::text`, sql`${p.phoneHash ?? null}::text`, sql`${p.emailHash ?? null}::text`)} end as screen,
      case when ${p.start} then ${balancesSql(sql`${p.vertical}::text`)} end as balances`);
  const [r] = rowsOf<{
    vertical_ok: number;
    id: string | null;
    /** A post's claim of its ping succeeded (always 1 without a claim). */
    claimed: number;
    config_version: number | string | null;
    bought: PersonSales | null;
    screen: ScreenHits | null;
    balances: Balances | null;
  }>(res);
  return r;
}

/** The lead a seller already sent under this externalId. */
export async function getLeadIdByExternalId(
  db: DbOrTx,
  sellerOrgId: string,
  externalId: string,
): Promise<string | undefined> {
  const [old] = await db
    .select({ id: leads.id })
    .from(leads)
    .where(and(eq(leads.sellerOrgId, sellerOrgId), eq(leads.externalId, externalId)));
  return old?.id;
}

/** What a start statement returns (startLeads, and the sweep's take-over of a stranded lead). */
const startedColumns = {
  lead: {
    id: leads.id,
    vertical: leads.vertical,
    zip: leads.zip,
    state: leads.state,
    customFields: leads.customFields,
    contact: leads.contact,
    consent: leads.consent,
    receivedAt: leads.receivedAt,
    phoneNormalized: leads.phoneNormalized,
    emailNormalized: leads.emailNormalized,
    validation: leads.validation,
  },
  attempt: leads.auctionAttempt,
  configVersion: sql<number>`(select version from buyer_config_version where id = 1)`.mapWith(Number),
  bought: sql<PersonSales>`${personSalesSql(sql`${leads.id}`, sql`${leads.phoneNormalized}`, sql`${leads.emailNormalized}`, sql`${leads.phoneHash}`, sql`${leads.emailHash}`)}`,
  fsync: sql<string>`(select ${skipFsyncSql})`,
  screen: sql<ScreenHits | null>`${screenHitsSql(sql`${leads.phoneNormalized}`, sql`${leads.emailNormalized}`, sql`${leads.phoneHash}`, sql`${leads.emailHash}`)}`,
  balances: sql<Balances>`${balancesSql(sql`${leads.vertical}`)}`,
};
/** The same without the screens (only `npm run bench:compliance` uses it, to measure what they add). */
const { screen: _screen, ...unscreenedColumns } = startedColumns;

export interface StartedRow {
  lead: AuctionLeadRow;
  attempt: number;
  configVersion: number;
  bought: PersonSales;
  /** The compliance screens' hits (null: the api asks on its own). */
  screen: ScreenHits | null;
  /** The balances of the vertical's buyers that keep one (balancesSql). */
  balances: Balances;
}

/** Balances by buyer id, in cents (jsonb numbers; bigint in the table, far below 2^53). */
export type Balances = Record<string, number>;

/**
 * One statement: RECEIVED leads enter PROCESSING (attempt + 1) under `owner`, without waiting for
 * the disk, and say which buyer configuration is current and who bought this person before.
 */
export async function startReceivedLeads(
  db: DbOrTx,
  leadIds: readonly string[],
  at: Date,
  owner: string | null,
  opts: { screen?: boolean } = {},
): Promise<StartedRow[]> {
  const rows = await db
    .update(leads)
    .set({
      status: "PROCESSING",
      processingAt: at,
      processingOwner: owner,
      auctionAttempt: sql`${leads.auctionAttempt} + 1`,
    })
    .where(
      and(
        leadIds.length === 1 ? eq(leads.id, leadIds[0]!) : sql`${leads.id} = any(${pgArray(leadIds)}::uuid[])`,
        eq(leads.status, "RECEIVED"),
      ),
    )
    .returning(opts.screen === false ? unscreenedColumns : startedColumns);
  return rows.map((r) => ({ screen: null, ...r }));
}

export async function insertLeadEvent(db: DbOrTx, e: LeadEventInsert): Promise<void> {
  await db.insert(leadEvents).values(e);
}

export async function insertLeadEvents(db: DbOrTx, es: LeadEventInsert[]): Promise<void> {
  if (es.length > 0) await db.insert(leadEvents).values(es);
}

// ---- buyers and counters -------------------------------------------------------------------

/** Active buyers of the vertical and their zips, read in parallel (one round trip). */
export async function listActiveBuyersWithZips(db: DbOrTx, vertical: string) {
  // The zips query joins on the same filter.
  const active = and(eq(buyers.active, true), arrayContains(buyers.verticals, [vertical]));
  const [rows, zips] = await Promise.all([
    db.select().from(buyers).where(active),
    db
      .select({
        buyerId: buyerZips.buyerId,
        zip: buyerZips.zip,
        priority: buyerZips.priority,
        maxBidCents: buyerZips.maxBidCents,
      })
      .from(buyerZips)
      .innerJoin(buyers, eq(buyers.id, buyerZips.buyerId))
      .where(active),
  ]);
  return { rows, zips };
}

/** buyer_config_version's current version (0 before the first change). */
export async function getBuyerConfigVersion(db: DbOrTx): Promise<number> {
  const [v] = await db
    .select({ version: buyerConfigVersion.version })
    .from(buyerConfigVersion)
    .where(eq(buyerConfigVersion.id, 1));
  return v?.version ?? 0;
}

/** The vertical's floor and whether it ranks network bids net of returns. */
export async function getVerticalAuctionTerms(
  db: DbOrTx,
  vertical: string,
): Promise<
  | {
      floor: number;
      net: boolean;
      checkSuppression: boolean;
      checkDnc: boolean;
      checkLitigator: boolean;
      litigatorFailOpen: boolean;
    }
  | undefined
> {
  const [row] = await db
    .select({
      floor: verticals.floorCents,
      net: verticals.rankNetOfReturns,
      checkSuppression: verticals.checkSuppression,
      checkDnc: verticals.checkDnc,
      checkLitigator: verticals.checkLitigator,
      litigatorFailOpen: verticals.litigatorFailOpen,
    })
    .from(verticals)
    .where(eq(verticals.key, vertical));
  return row;
}

/** Read-only repeatable-read snapshot: reads in `fn` see one moment. */
export function inSnapshot<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(fn, { isolationLevel: "repeatable read", accessMode: "read only" });
}

/** A capped buyer's local period starts (ISO). */
export interface CounterPeriods {
  id: string;
  day: string;
  week: string;
  month: string;
}

/** Sales (winning transactions) per buyer since each of its period starts, in one query. */
export async function countBuyerSales(db: DbOrTx, capped: readonly CounterPeriods[]) {
  const res = await db.execute(sql`
    select p.buyer_id,
      (select count(*) from transactions t where t.buyer_id = p.buyer_id and t.is_winner and t.created_at >= p.day_start) as today,
      (select count(*) from transactions t where t.buyer_id = p.buyer_id and t.is_winner and t.created_at >= p.week_start) as week,
      (select count(*) from transactions t where t.buyer_id = p.buyer_id and t.is_winner and t.created_at >= p.month_start) as month
    from unnest(${pgArray(capped.map((c) => c.id))}::uuid[], ${pgArray(capped.map((c) => c.day))}::timestamptz[],
      ${pgArray(capped.map((c) => c.week))}::timestamptz[], ${pgArray(capped.map((c) => c.month))}::timestamptz[])
      as p(buyer_id, day_start, week_start, month_start)`);
  return rowsOf<{ buyer_id: string; today: number | string; week: number | string; month: number | string }>(res);
}

export interface MoneyPeriods {
  id: string;
  day: string;
  month: string;
  /** The buyer has a money budget: its spend is read too (else 0, unread). */
  spend: boolean;
}

/**
 * Many buyers' money: the balance (buyer_balances, the ledger's sum) and the spend (winning
 * transactions' prices) in each buyer's local day and month; a copy, in SQL, of what claim_sale
 * reads under the buyer's lock.
 */
export async function readBuyerMoney(db: DbOrTx, list: readonly MoneyPeriods[]) {
  const res = await db.execute(sql`
    select p.buyer_id,
      coalesce((select b.balance_cents from buyer_balances b where b.buyer_id = p.buyer_id), 0) as balance,
      case when p.spend then (select coalesce(sum(t.price_cents), 0) from transactions t where t.buyer_id = p.buyer_id and t.is_winner and t.created_at >= p.day_start) else 0 end as day,
      case when p.spend then (select coalesce(sum(t.price_cents), 0) from transactions t where t.buyer_id = p.buyer_id and t.is_winner and t.created_at >= p.month_start) else 0 end as month
    from unnest(${pgArray(list.map((c) => c.id))}::uuid[], ${pgArray(list.map((c) => c.day))}::timestamptz[],
      ${pgArray(list.map((c) => c.month))}::timestamptz[], ${pgArray(list.map((c) => String(c.spend)))}::boolean[])
      as p(buyer_id, day_start, month_start, spend)`);
  return rowsOf<{ buyer_id: string; balance: number | string; day: number | string; month: number | string }>(res);
}

// ---- the sale ------------------------------------------------------------------------------

export interface ClaimSaleParams {
  leadId: string;
  buyerId: string;
  kind: string;
  priceCents: number;
  bidCents: number | null;
  cascadePosition: number | null;
  at: Date;
  limit: number;
  capDaily: number | null;
  capWeekly: number | null;
  capMonthly: number | null;
  dayStart: Date;
  weekStart: Date;
  monthStart: Date;
  duplicateSince: Date | null;
  attempt: number | null;
  /** The buyer's billing (docs/billing.md): read and checked under its lock when not INVOICED or budgeted. */
  billingMode: "PREPAID" | "CREDIT_LIMIT" | "INVOICED";
  creditLimitCents: number | null;
  budgetDailyCents: number | null;
  budgetMonthlyCents: number | null;
}

export interface ClaimSaleRow {
  r_refused: "lead" | "rules" | null;
  r_status: LeadRow["status"] | null;
  r_winners: number;
  r_today: number | string;
  r_week: number | string;
  r_month: number | string;
  r_dup: boolean;
  r_attempt: number | null;
  /** The balance (after the sale when sold), and the spend in the local day and month. */
  r_balance: number | string;
  r_spent_day: number | string;
  r_spent_month: number | string;
}

/**
 * claim_sale (migration 0008): locks the lead, then the buyer's row if it has caps, then its pair
 * with this person if it refuses duplicates (always in that order, so two sales cannot deadlock),
 * counts afresh under the locks and writes the sale only if caps and duplicates allow it.
 */
export async function claimSaleRow(db: DbOrTx, c: ClaimSaleParams): Promise<ClaimSaleRow | undefined> {
  const [r] = rowsOf<ClaimSaleRow>(
    await db.execute(sql`
      select * from claim_sale(${c.leadId}::uuid, ${c.buyerId}::uuid, ${c.kind}::transaction_kind, ${c.priceCents}::int, ${c.bidCents}::int,
        ${c.cascadePosition}::int, ${c.at.toISOString()}::timestamptz, ${c.limit}::int,
        ${c.capDaily}::int, ${c.capWeekly}::int, ${c.capMonthly}::int,
        ${c.dayStart.toISOString()}::timestamptz, ${c.weekStart.toISOString()}::timestamptz, ${c.monthStart.toISOString()}::timestamptz,
        ${c.duplicateSince ? c.duplicateSince.toISOString() : null}::timestamptz, ${c.attempt}::int,
        ${c.billingMode}::billing_mode, ${c.creditLimitCents}::int, ${c.budgetDailyCents}::int, ${c.budgetMonthlyCents}::int)`),
  );
  return r;
}

/**
 * Undoes a reservation whose POST was refused, only while the lead is still PROCESSING (on
 * `attempt` when given). The lead's row is locked first (for no key update), as claim_sale locks it.
 */
export async function releaseSaleRow(tx: Tx, leadId: string, buyerId: string, attempt?: number): Promise<void> {
  const [open] = await tx
    .select({ id: leads.id })
    .from(leads)
    .where(
      and(
        eq(leads.id, leadId),
        eq(leads.status, "PROCESSING"),
        attempt === undefined ? undefined : eq(leads.auctionAttempt, attempt),
      ),
    )
    .for("no key update");
  if (!open) return;
  const [t] = await tx
    .update(transactions)
    .set({ isWinner: false })
    .where(and(eq(transactions.leadId, leadId), eq(transactions.buyerId, buyerId), eq(transactions.isWinner, true)))
    .returning({ price: transactions.priceCents });
  if (!t) return;
  await tx
    .update(leads)
    .set({ winnerCount: sql`${leads.winnerCount} - 1`, revenueCents: sql`${leads.revenueCents} - ${t.price ?? 0}` })
    .where(eq(leads.id, leadId));
}

// ---- the result ----------------------------------------------------------------------------

/** One lead's result, as the statement reads it (jsonb_to_recordset). */
export interface ResultRow {
  lead_id: string;
  /** The run's attempt: the result is written only if the lead is still on it. Omitted: any. */
  attempt?: number | null;
  status: string;
  unsold: string | null;
  finished_at: string;
  revenue: number;
  winners: number;
  plan_at: string;
  records: unknown[];
  timeline: { at: Date; kind: string; buyerId: string | null; data: Record<string, unknown> }[];
  owed: unknown[];
  /**
   * The seller's payout, written with the result when the lead sold (a post knows it before the
   * end: its ping's rule): the ledger's PAYOUT entry, the lead's payout_cents and the timeline's
   * `payout` event (data as given) after the result's events. Once per lead, like writePayout.
   */
  payout?: { amount: number; data: Record<string, unknown> } | null;
}

export interface Written {
  ended: boolean;
  deliveries: string[];
  /** The lead's seller has a status webhook (its lead.sold / lead.unsold row was written by trigger). */
  sellerHook?: boolean;
}

/**
 * Writes leads' results in one statement, so in one transaction and one round trip: per lead the
 * status change, every buyer's row, the timeline and the deliveries owed. Each insert reads from
 * `ended`, so a lead another path already ended gets nothing written at all.
 */
export async function writeLeadResults(db: DbOrTx, rows: ResultRow[]): Promise<Map<string, Written>> {
  const res = await db.execute(sql`
    with input as (
      select * from jsonb_to_recordset(${JSON.stringify(rows.map((r, ord) => ({ ...r, payout: r.payout ?? null, ord })))}::jsonb) as i(lead_id uuid, attempt int, status lead_status,
        unsold unsold_reason, finished_at timestamptz, revenue int, winners int, plan_at timestamptz, records jsonb, timeline jsonb, owed jsonb, payout jsonb, ord int)
    ), ended as (
      update leads l set status = i.status, unsold_reason = i.unsold, finished_at = i.finished_at, revenue_cents = i.revenue, winner_count = i.winners,
        payout_cents = coalesce((i.payout->>'amount')::int, l.payout_cents)
      from input i
      where l.id = i.lead_id and l.status = 'PROCESSING' and l.auction_attempt = coalesce(i.attempt, l.auction_attempt)
      returning l.id, l.seller_org_id, l.vertical
    ), rec as (
      insert into transactions (lead_id, buyer_id, kind, ping_outcome, bid_cents, is_winner, lost_reason, winning_bid_amount_cents,
        cascade_position, delivery_method, price_cents, latency_ms, request, response, post_latency_ms, post_response, detail, error, created_at)
      select e.id, x.buyer_id, x.kind::transaction_kind, x.ping_outcome::ping_outcome, x.bid_cents, x.is_winner, x.lost_reason::lost_reason,
        x.winning_bid_amount_cents, x.cascade_position, x.delivery_method::delivery_method, x.price_cents, x.latency_ms, x.request, x.response,
        x.post_latency_ms, x.post_response, x.detail, x.error, i.plan_at
      from ended e join input i on i.lead_id = e.id
      cross join lateral jsonb_to_recordset(i.records) as x(buyer_id uuid, kind text, ping_outcome text, bid_cents int,
        is_winner boolean, lost_reason text, winning_bid_amount_cents int, cascade_position int, delivery_method text, price_cents int,
        latency_ms int, request text, response text, post_latency_ms int, post_response text, detail text, error text)
      -- created_at stays: a sale's row keeps the moment of sale the cap counters count by.
      on conflict (lead_id, buyer_id) do update set kind = excluded.kind, ping_outcome = excluded.ping_outcome, bid_cents = excluded.bid_cents,
        is_winner = excluded.is_winner, lost_reason = excluded.lost_reason, winning_bid_amount_cents = excluded.winning_bid_amount_cents,
        cascade_position = excluded.cascade_position, delivery_method = excluded.delivery_method, price_cents = excluded.price_cents,
        latency_ms = excluded.latency_ms, request = excluded.request, response = excluded.response, post_latency_ms = excluded.post_latency_ms,
        post_response = excluded.post_response, detail = excluded.detail, error = excluded.error
      returning 1
    ), pay as (
      -- The seller's payout (writePayout's ledger entry), once per lead: a second one writes nothing.
      insert into seller_payouts (lead_id, seller_org_id, vertical, kind, amount_cents, created_at)
      select e.id, e.seller_org_id, e.vertical, 'PAYOUT', (i.payout->>'amount')::int, i.finished_at
      from ended e join input i on i.lead_id = e.id
      where i.payout is not null
      on conflict do nothing
      returning lead_id
    ), ev as (
      -- The result's events in order, then the payout's event if its entry was written.
      insert into lead_events (lead_id, at, kind, buyer_id, data)
      select t.lead_id, t.at, t.kind, t.buyer_id, t.data from (
        select e.id as lead_id, x.at, x.kind, x."buyerId" as buyer_id, x.data, i.ord, x.n
        from ended e join input i on i.lead_id = e.id
        cross join lateral rows from (jsonb_to_recordset(i.timeline) as (at timestamptz, kind text, "buyerId" uuid, data jsonb))
          with ordinality as x(at, kind, "buyerId", data, n)
        union all
        select p.lead_id, i.finished_at, 'payout', null::uuid, i.payout->'data', i.ord, 9223372036854775807::bigint
        from pay p join input i on i.lead_id = p.lead_id
      ) t
      order by t.ord, t.n
      returning 1
    ), owed as (
      insert into deliveries (lead_id, buyer_id, method, webhook_id, created_at)
      select e.id, x.buyer_id, x.method::delivery_method, x.webhook_id, i.finished_at
      from ended e join input i on i.lead_id = e.id
      cross join lateral jsonb_to_recordset(i.owed) as x(buyer_id uuid, method text, webhook_id text)
      returning lead_id, id
    )
    select (select coalesce(jsonb_agg(id), '[]'::jsonb) from ended) as ended,
      (select coalesce(jsonb_agg(jsonb_build_array(lead_id, id)), '[]'::jsonb) from owed) as owed,
      -- Leads whose seller has a status webhook: only their runs look for events to queue.
      (select coalesce(jsonb_agg(e.id), '[]'::jsonb) from ended e
        where exists (select 1 from seller_webhooks w where w.seller_org_id = e.seller_org_id)) as hooked,
      (select count(*) from rec)::int as recs, (select count(*) from ev)::int as events`);
  const [r] = rowsOf<{ ended: string[] | string; owed: [string, string][] | string; hooked: string[] | string }>(res);
  const json = <T>(v: T | string | undefined, empty: T): T =>
    typeof v === "string" ? (JSON.parse(v) as T) : (v ?? empty);
  const ended = json<string[]>(r?.ended, []);
  const owed = json<[string, string][]>(r?.owed, []);
  const hooked = new Set(json<string[]>(r?.hooked, []));
  const out = new Map<string, Written>(
    ended.map((id) => [id, { ended: true, deliveries: [], sellerHook: hooked.has(id) }]),
  );
  for (const [leadId, id] of owed) out.get(leadId)?.deliveries.push(id);
  return out;
}

// ---- sweep, reclaim and leases -------------------------------------------------------------

/** Leads PROCESSING since before `before` (at most 500). */
export function listStuckLeads(db: DbOrTx, before: Date) {
  return db
    .select({ id: leads.id, attempt: leads.auctionAttempt })
    .from(leads)
    .where(and(eq(leads.status, "PROCESSING"), lt(leads.processingAt, before)))
    .limit(500);
}

/** Leads RECEIVED before `before` and never started (at most 500). */
export function listUnstartedLeads(db: DbOrTx, before: Date) {
  return db
    .select({ id: leads.id })
    .from(leads)
    .where(and(eq(leads.status, "RECEIVED"), lt(leads.receivedAt, before)))
    .limit(500);
}

/** Deliveries pending since, or failed with a retry due, before `overdue` (at most 500). */
export function listOverdueDeliveries(db: DbOrTx, overdue: Date) {
  return db
    .select({ id: deliveries.id })
    .from(deliveries)
    .where(
      or(
        and(eq(deliveries.status, "pending"), lt(deliveries.createdAt, overdue)),
        and(eq(deliveries.status, "failed"), lt(deliveries.nextAttemptAt, overdue)),
      ),
    )
    .limit(500);
}

/** Lease rows not renewed for an hour (database time). */
export async function deleteDeadWorkerLeases(db: DbOrTx): Promise<void> {
  await db.delete(workerLeases).where(lt(workerLeases.heartbeatAt, sql`now() - interval '1 hour'`));
}

/** Whether a PROCESSING lead's owner has not renewed its lease for `expiresMs` (or has none). */
const ownerGone = (expiresMs: number): SQL =>
  sql`not exists (select 1 from worker_leases w where w.owner = ${leads.processingOwner} and w.heartbeat_at > now() - ${expiresMs} * interval '1 millisecond')`;

/**
 * Ends a PROCESSING lead as its sales left it: SOLD if it has a winner, else UNSOLD. Conditional
 * on `attempt` (when given) and on its owner's lease still being expired (`ownerGoneMs`), so two
 * sweepers end it once. Returns the new status, or undefined when nothing changed.
 */
export async function endProcessingLead(tx: DbOrTx, leadId: string, at: Date, attempt?: number, ownerGoneMs?: number) {
  const [ended] = await tx
    .update(leads)
    .set({
      status: sql`case when ${leads.winnerCount} > 0 then 'SOLD'::lead_status else 'UNSOLD'::lead_status end`,
      finishedAt: at,
    })
    .where(
      and(
        eq(leads.id, leadId),
        eq(leads.status, "PROCESSING"),
        attempt === undefined ? undefined : eq(leads.auctionAttempt, attempt),
        ownerGoneMs === undefined ? undefined : ownerGone(ownerGoneMs),
      ),
    )
    .returning({ status: leads.status });
  return ended?.status;
}

/** The lead's winning contractor buyers. */
export async function listWinningContractors(tx: DbOrTx, leadId: string): Promise<BuyerRow[]> {
  const won = await tx
    .select({ buyer: buyers })
    .from(transactions)
    .innerJoin(buyers, eq(buyers.id, transactions.buyerId))
    .where(and(eq(transactions.leadId, leadId), eq(transactions.isWinner, true), eq(buyers.type, "CONTRACTOR")));
  return won.map((w) => w.buyer);
}

/** Inserts deliveries, skipping any that already exist (on conflict do nothing); returns new ids. */
export async function insertDeliveriesIfAbsent(tx: DbOrTx, rows: DeliveryInsert[]): Promise<string[]> {
  const made = await tx.insert(deliveries).values(rows).onConflictDoNothing().returning({ id: deliveries.id });
  return made.map((d) => d.id);
}

/** Leads PROCESSING under an owner whose lease expired `expiresMs` ago or has none (at most 500). */
export function listStrandedLeads(db: DbOrTx, expiresMs: number) {
  return db
    .select({ id: leads.id, owner: leads.processingOwner, attempt: leads.auctionAttempt, winners: leads.winnerCount })
    .from(leads)
    .where(and(eq(leads.status, "PROCESSING"), isNotNull(leads.processingOwner), ownerGone(expiresMs)))
    .limit(500);
}

/**
 * Takes stranded leads over in one statement that re-checks all of it (still PROCESSING, still
 * unsold, under `maxAttempts`, still stranded) and starts them again with the next attempt.
 */
export async function restartStrandedLeads(
  tx: DbOrTx,
  ids: readonly string[],
  at: Date,
  owner: string | null,
  maxAttempts: number,
  expiresMs: number,
): Promise<StartedRow[]> {
  return tx
    .update(leads)
    .set({ processingAt: at, processingOwner: owner, auctionAttempt: sql`${leads.auctionAttempt} + 1` })
    .where(
      and(
        sql`${leads.id} = any(${`{${ids.join(",")}}`}::uuid[])`,
        eq(leads.status, "PROCESSING"),
        eq(leads.winnerCount, 0),
        lt(leads.auctionAttempt, maxAttempts),
        isNotNull(leads.processingOwner),
        ownerGone(expiresMs),
      ),
    )
    .returning(startedColumns);
}

export async function insertWorkerLease(db: DbOrTx, owner: string, pid: number, host: string): Promise<void> {
  await db.insert(workerLeases).values({ owner, pid, host });
}

/** Renews the lease (heartbeat_at = database now()), writing it again if it was removed. */
export async function renewWorkerLease(db: DbOrTx, owner: string, pid: number, host: string): Promise<void> {
  await db
    .insert(workerLeases)
    .values({ owner, pid, host })
    .onConflictDoUpdate({ target: workerLeases.owner, set: { heartbeatAt: sql`now()` } });
}

export async function deleteWorkerLease(db: DbOrTx, owner: string): Promise<void> {
  await db.delete(workerLeases).where(eq(workerLeases.owner, owner));
}

// ---- deliveries ----------------------------------------------------------------------------

export function listDeliveriesByIds(db: DbOrTx, ids: readonly string[]): Promise<DeliveryRow[]> {
  return db
    .select()
    .from(deliveries)
    .where(inArray(deliveries.id, [...ids]));
}

export async function getDelivery(db: DbOrTx, id: string): Promise<DeliveryRow | undefined> {
  const [d] = await db.select().from(deliveries).where(eq(deliveries.id, id));
  return d;
}

export async function getDeliverySchedule(db: DbOrTx, id: string) {
  const [d] = await db
    .select({ status: deliveries.status, nextAttemptAt: deliveries.nextAttemptAt })
    .from(deliveries)
    .where(eq(deliveries.id, id));
  return d;
}

/** What a delivery sends: the lead, the buyer and the price it paid (null without a sale row). */
export async function getDeliveryContext(db: DbOrTx, leadId: string, buyerId: string) {
  const [row] = await db
    .select({ lead: leads, buyer: buyers, priceCents: transactions.priceCents })
    .from(leads)
    .innerJoin(buyers, eq(buyers.id, buyerId))
    .leftJoin(transactions, and(eq(transactions.leadId, leads.id), eq(transactions.buyerId, buyerId)))
    .where(eq(leads.id, leadId));
  return row;
}

export async function insertNotification(db: DbOrTx, n: NotificationInsert): Promise<void> {
  await db.insert(notifications).values(n);
}

/** The outbox row already written for a delivery, if any. */
export async function getOutboxOfDelivery(db: DbOrTx, deliveryId: string) {
  const [had] = await db
    .select({ id: emailOutbox.id, nextAttemptAt: emailOutbox.nextAttemptAt })
    .from(emailOutbox)
    .where(eq(emailOutbox.deliveryId, deliveryId));
  return had;
}

/**
 * Marks the delivery delivered, once: updated (and locked) only if not yet delivered. Returns
 * false when it already was, and the caller writes nothing else.
 */
export async function setDeliveryDelivered(tx: DbOrTx, id: string, attempts: number, at: Date): Promise<boolean> {
  const [first] = await tx
    .update(deliveries)
    .set({ status: "delivered", attempts, deliveredAt: at, lastError: null, nextAttemptAt: null })
    .where(and(eq(deliveries.id, id), ne(deliveries.status, "delivered")))
    .returning({ id: deliveries.id });
  return first !== undefined;
}

/** The delivery method on the buyer's transaction, if none is recorded yet. */
export async function setTransactionDeliveryMethod(
  tx: DbOrTx,
  leadId: string,
  buyerId: string,
  method: DeliveryRow["method"],
): Promise<void> {
  await tx
    .update(transactions)
    .set({ deliveryMethod: method })
    .where(
      and(eq(transactions.leadId, leadId), eq(transactions.buyerId, buyerId), isNull(transactions.deliveryMethod)),
    );
}

/** A failed attempt (status failed, or dead without a next attempt); never over a delivered row. */
export async function setDeliveryFailed(
  tx: DbOrTx,
  id: string,
  set: { status: "failed" | "dead"; attempts: number; lastError: string; nextAttemptAt: Date | null },
): Promise<void> {
  await tx
    .update(deliveries)
    .set(set)
    .where(and(eq(deliveries.id, id), ne(deliveries.status, "delivered")));
}

// ---- what each party reads of a lead -------------------------------------------------------

/** Whose leads a reader sees: all (null), those a buyer org took part in, or a seller's own. */
export type LeadScope = null | { buyerOrgId: string } | { sellerOrgId: string };

function scopeSql(v: LeadScope): SQL | undefined {
  if (v === null) return undefined;
  if ("buyerOrgId" in v) {
    return exists(
      sql`(select 1 from ${transactions} t join ${buyers} b on b.id = t.buyer_id where t.lead_id = ${leads.id} and b.org_id = ${v.buyerOrgId})`,
    );
  }
  return eq(leads.sellerOrgId, v.sellerOrgId);
}

export async function getLeadInScope(db: DbOrTx, scope: LeadScope, leadId: string): Promise<LeadRow | undefined> {
  const [lead] = await db
    .select()
    .from(leads)
    .where(and(eq(leads.id, leadId), scopeSql(scope)));
  return lead;
}

/** The lead's transactions with their buyers, in cascade then bid order. */
export function listLeadTransactions(db: DbOrTx, leadId: string) {
  return db
    .select({ t: transactions, buyerName: buyers.name, buyerOrgId: buyers.orgId, buyerType: buyers.type })
    .from(transactions)
    .innerJoin(buyers, eq(buyers.id, transactions.buyerId))
    .where(eq(transactions.leadId, leadId))
    .orderBy(asc(transactions.cascadePosition), desc(transactions.bidCents), asc(transactions.buyerId));
}

/** The lead's refused eligibility verdicts (lead_events) with their buyers: all, one org's, or some reasons. */
export function listLeadRefusals(
  db: DbOrTx,
  leadId: string,
  only: { ownOrg: string } | { reasons: readonly string[] } | null,
) {
  const reason = sql<string>`${leadEvents.data}->>'reason'`;
  return db
    .select({
      buyerId: buyers.id,
      buyerName: buyers.name,
      buyerOrgId: buyers.orgId,
      buyerType: buyers.type,
      reason,
      detail: sql<string | null>`${leadEvents.data}->>'detail'`,
      at: leadEvents.at,
    })
    .from(leadEvents)
    .innerJoin(buyers, eq(buyers.id, leadEvents.buyerId))
    .where(
      and(
        eq(leadEvents.leadId, leadId),
        eq(leadEvents.kind, "eligibility"),
        sql`${leadEvents.data}->>'eligible' = 'false'`,
        only === null
          ? undefined
          : "ownOrg" in only
            ? eq(buyers.orgId, only.ownOrg)
            : inArray(reason, [...only.reasons]),
      ),
    )
    .orderBy(asc(leadEvents.id));
}

/** The lead's events, in order: all (null), those of some buyers, or of some kinds. */
export function listLeadEvents(
  db: DbOrTx,
  leadId: string,
  only: null | { buyerIds: readonly string[] } | { kinds: readonly string[] },
) {
  return db
    .select()
    .from(leadEvents)
    .where(
      and(
        eq(leadEvents.leadId, leadId),
        only === null
          ? undefined
          : "buyerIds" in only
            ? only.buyerIds.length
              ? inArray(leadEvents.buyerId, [...only.buyerIds])
              : sql`false`
            : inArray(leadEvents.kind, [...only.kinds]),
      ),
    )
    .orderBy(asc(leadEvents.id));
}

/** The lead's deliveries: all (null) or those of some buyers. */
export function listLeadDeliveries(
  db: DbOrTx,
  leadId: string,
  buyerIds: readonly string[] | null,
): Promise<DeliveryRow[]> {
  return db
    .select()
    .from(deliveries)
    .where(
      and(
        eq(deliveries.leadId, leadId),
        buyerIds === null ? undefined : buyerIds.length ? inArray(deliveries.buyerId, [...buyerIds]) : sql`false`,
      ),
    );
}

/** A page of leads, newest first. */
export function listLeadsPage(
  db: DbOrTx,
  scope: LeadScope,
  q: { limit: number; before?: Date; status?: LeadRow["status"] },
) {
  return db
    .select({
      id: leads.id,
      status: leads.status,
      unsoldReason: leads.unsoldReason,
      vertical: leads.vertical,
      zip: leads.zip,
      state: leads.state,
      receivedAt: leads.receivedAt,
      revenueCents: leads.revenueCents,
      winnerCount: leads.winnerCount,
      sellerOrgId: leads.sellerOrgId,
    })
    .from(leads)
    .where(
      and(
        scopeSql(scope),
        q.before ? lt(leads.receivedAt, q.before) : undefined,
        q.status ? eq(leads.status, q.status) : undefined,
      ),
    )
    .orderBy(desc(leads.receivedAt), desc(leads.id))
    .limit(q.limit);
}
