// The seller portal's SQL (packages/api/src/sellers/portal.ts): a seller's figures, its leads
// (filtered, paged and exported), one lead as the seller may see it, and its earnings statement.
// Every statement is scoped by `seller_org_id`: a lead of another seller is not found. Money is
// summed from the payout ledger (seller_payouts) in integers. Days and months are the seller's own
// (its IANA zone, seller_sources.time_zone): every boundary is local midnight turned into an instant
// here in SQL (`day::timestamp at time zone tz`), one day at a time, so a DST switch inside a window
// or a month moves the boundary by the hour it should and the figures, the filter and the
// statement count exactly the same rows.
import {
  LEAD_STATUSES,
  UNSOLD_REASONS,
  type LeadStatus,
  type LeadValidation,
  type UnsoldReason,
} from "@leadflow/engine";
import { sql, type SQL } from "drizzle-orm";
import { rowsOf, type DbOrTx } from "../client";
import { parseSearchText, SEARCH_CURSOR } from "./search";

// ---- figures ------------------------------------------------------------------------------------

export interface SellerPeriodStats {
  key: string;
  /** The period's first local day and its last (today), YYYY-MM-DD. */
  fromDay: string;
  toDay: string;
  /** The instants they start and end at (ISO, UTC): [from, toExclusive). */
  from: string;
  toExclusive: string;
  /** Leads received in the period (all of them, whatever became of them). */
  sent: number;
  /** Taken in (not REJECTED). */
  accepted: number;
  sold: number;
  unsold: number;
  unsoldByReason: Record<UnsoldReason, number>;
  rejected: number;
  /** Still in the auction (RECEIVED or PROCESSING). */
  inProgress: number;
  /** Leads of the period with at least one approved return. */
  returned: number;
  /** Payout entries of the period's leads. */
  paidCents: number;
  /** Reversal entries of the period's leads (zero or negative). */
  reversedCents: number;
  /** paid + reversed: what the period's leads earned, net. */
  earnedCents: number;
  pings: number;
  pingsAccepted: number;
}

/** An instant as ISO text, UTC, to the microsecond (what cursors and the browser read). */
const atText = (col: SQL) => sql`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** An instant as JavaScript's toISOString writes it (milliseconds), for the periods' bounds. */
const isoText = (col: SQL) => sql`to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The instant local midnight of a day (a `date` expression) is in zone `tz`. */
export const localMidnight = (day: SQL, tz: string) => sql`((${day})::timestamp at time zone ${tz}::text)`;

/**
 * An instant as the seller's wall clock reads it, with the offset in force then, so the hour that
 * repeats when DST ends is still unambiguous: 2026-03-31T23:30:00-07:00.
 */
export function localText(col: SQL, tz: string): SQL {
  const off = sql`((${col} at time zone ${tz}::text) - (${col} at time zone 'UTC'))`;
  return sql`(to_char(${col} at time zone ${tz}::text, 'YYYY-MM-DD"T"HH24:MI:SS')
    || case when ${off} < interval '0' then '-' else '+' end
    || to_char(case when ${off} < interval '0' then -${off} else ${off} end, 'HH24:MI'))`;
}

/**
 * Figures for the leads a seller sent in each period: the last `days` local days of the zone,
 * today (the local date of `now`) included, each [local midnight of its first day, local midnight
 * after today). The money is every ledger entry of those leads so far (a later return of an
 * earlier lead reverses its own period's earnings).
 */
export async function sellerStats(
  db: DbOrTx,
  p: { sellerOrgId: string; timeZone: string; now: Date; periods: { key: string; days: number }[] },
): Promise<SellerPeriodStats[]> {
  const tz = p.timeZone;
  const values = sql.join(
    p.periods.map((x, i) => sql`(${x.key}::text, ${x.days}::int, ${i}::int)`),
    sql`, `,
  );
  const byReason = sql.join(
    UNSOLD_REASONS.map(
      (r) => sql`${r}::text, count(l.id) filter (where l.status = 'UNSOLD' and l.unsold_reason = ${r}::unsold_reason)`,
    ),
    sql`, `,
  );
  const rows = rowsOf<{
    key: string;
    from_day: string;
    to_day: string;
    from: string;
    to_exclusive: string;
    sent: number;
    accepted: number;
    sold: number;
    unsold: number;
    by_reason: Record<UnsoldReason, number | string>;
    rejected: number;
    in_progress: number;
    returned: number;
    paid: string | number;
    reversed: string | number;
    pings: number;
    pings_accepted: number;
  }>(
    await db.execute(sql`
      with z as (select (${p.now.toISOString()}::timestamptz at time zone ${tz}::text)::date as today),
      periods(key, days, ord) as (values ${values}),
      p as (
        select periods.key, periods.ord, z.today - (periods.days - 1) as from_day, z.today as to_day,
          ${localMidnight(sql`z.today - (periods.days - 1)`, tz)} as since,
          ${localMidnight(sql`z.today + 1`, tz)} as until
        from periods cross join z
      )
      select p.key, p.from_day::text as from_day, p.to_day::text as to_day,
        ${isoText(sql`p.since`)} as "from", ${isoText(sql`p.until`)} as to_exclusive,
        count(l.id)::int as sent,
        count(l.id) filter (where l.status <> 'REJECTED')::int as accepted,
        count(l.id) filter (where l.status = 'SOLD')::int as sold,
        count(l.id) filter (where l.status = 'UNSOLD')::int as unsold,
        json_build_object(${byReason}) as by_reason,
        count(l.id) filter (where l.status = 'REJECTED')::int as rejected,
        count(l.id) filter (where l.status in ('RECEIVED', 'PROCESSING'))::int as in_progress,
        count(l.id) filter (where exists (select 1 from return_requests r where r.lead_id = l.id and r.status = 'APPROVED'))::int as returned,
        coalesce(sum(m.paid), 0) as paid,
        coalesce(sum(m.reversed), 0) as reversed,
        (select count(*) from seller_pings s where s.seller_org_id = ${p.sellerOrgId}::uuid
          and s.created_at >= p.since and s.created_at < p.until)::int as pings,
        (select count(*) from seller_pings s where s.seller_org_id = ${p.sellerOrgId}::uuid and s.accepted
          and s.created_at >= p.since and s.created_at < p.until)::int as pings_accepted
      from p
      left join leads l on l.seller_org_id = ${p.sellerOrgId}::uuid and l.received_at >= p.since and l.received_at < p.until
      left join lateral (
        select sum(e.amount_cents) filter (where e.kind = 'PAYOUT') as paid,
          sum(e.amount_cents) filter (where e.kind = 'PAYOUT_REVERSAL') as reversed
        from seller_payouts e where e.lead_id = l.id
      ) m on true
      group by p.key, p.ord, p.from_day, p.to_day, p.since, p.until
      order by p.ord`),
  );
  return rows.map((r) => {
    const paidCents = Number(r.paid);
    const reversedCents = Number(r.reversed);
    return {
      key: r.key,
      fromDay: r.from_day,
      toDay: r.to_day,
      from: r.from,
      toExclusive: r.to_exclusive,
      sent: r.sent,
      accepted: r.accepted,
      sold: r.sold,
      unsold: r.unsold,
      unsoldByReason: Object.fromEntries(UNSOLD_REASONS.map((k) => [k, Number(r.by_reason[k] ?? 0)])) as Record<
        UnsoldReason,
        number
      >,
      rejected: r.rejected,
      inProgress: r.in_progress,
      returned: r.returned,
      paidCents,
      reversedCents,
      earnedCents: paidCents + reversedCents,
      pings: r.pings,
      pingsAccepted: r.pings_accepted,
    };
  });
}

// ---- leads --------------------------------------------------------------------------------------

export interface SellerLeadFilter {
  sellerOrgId: string;
  /** The zone the days below are the seller's days in. */
  timeZone: string;
  status?: LeadStatus;
  vertical?: string;
  /** Received on or after this local day (YYYY-MM-DD). */
  fromDay?: string;
  /** Received on or before this local day (YYYY-MM-DD, inclusive). */
  toDay?: string;
  /** The seller's own id, exactly. */
  externalId?: string;
  /** A lead id, phone, email, name or external id (as the top bar's search reads it). */
  text?: string;
}

export interface SellerLeadRow {
  id: string;
  externalId: string | null;
  status: LeadStatus;
  unsoldReason: UnsoldReason | null;
  vertical: string;
  zip: string;
  state: string | null;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  /** ISO, microseconds, UTC. */
  receivedAt: string;
  /** The same instant on the seller's clock, with its offset (localText). */
  receivedAtLocal: string;
  paidCents: number;
  reversedCents: number;
  returned: boolean;
}

const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

function filterSql(f: SellerLeadFilter): SQL {
  const parts: SQL[] = [sql`l.seller_org_id = ${f.sellerOrgId}::uuid`];
  if (f.status && (LEAD_STATUSES as readonly string[]).includes(f.status))
    parts.push(sql`l.status = ${f.status}::lead_status`);
  if (f.vertical) parts.push(sql`l.vertical = ${f.vertical}`);
  if (f.fromDay) parts.push(sql`l.received_at >= ${localMidnight(sql`${f.fromDay}::date`, f.timeZone)}`);
  if (f.toDay) parts.push(sql`l.received_at < ${localMidnight(sql`${f.toDay}::date + 1`, f.timeZone)}`);
  if (f.externalId) parts.push(sql`l.external_id = ${f.externalId}`);
  const t = parseSearchText(f.text);
  if (t) {
    const name = sql`coalesce(l.contact->>'firstName', '') || ' ' || coalesce(l.contact->>'lastName', '')`;
    const any = [
      t.id ? sql`l.id = ${t.id}::uuid` : null,
      t.email ? sql`l.email_normalized = ${t.email}` : null,
      t.phoneDigits ? sql`l.phone_normalized like ${`%${likeEscape(t.phoneDigits)}%`}` : null,
      t.words && !t.email ? sql`${name} ilike ${`%${likeEscape(t.words)}%`}` : null,
      t.words ? sql`l.external_id ilike ${`%${likeEscape(t.words)}%`}` : null,
    ].filter((x): x is SQL => x !== null);
    parts.push(any.length ? sql`(${sql.join(any, sql` or `)})` : sql`false`);
  }
  return sql.join(parts, sql` and `);
}

/**
 * One page of the seller's leads, newest first, with what each earned; `cursor` is the previous
 * page's nextCursor (`at|id`, so leads of the same microsecond are neither lost nor repeated).
 */
export async function listSellerLeads(
  db: DbOrTx,
  f: SellerLeadFilter,
  page: { limit: number; cursor?: string | null },
): Promise<{ items: SellerLeadRow[]; nextCursor: string | null }> {
  const [cursorAt, cursorId] = page.cursor && SEARCH_CURSOR.test(page.cursor) ? page.cursor.split("|") : [];
  const rows = rowsOf<Omit<SellerLeadRow, "paidCents" | "reversedCents"> & { paid: string; reversed: string }>(
    await db.execute(sql`
      select l.id, l.external_id as "externalId", l.status, l.unsold_reason as "unsoldReason", l.vertical, l.zip, l.state,
        l.contact->>'firstName' as "firstName", l.contact->>'lastName' as "lastName",
        l.contact->>'email' as email, l.contact->>'phone' as phone,
        ${atText(sql`l.received_at`)} as "receivedAt", ${localText(sql`l.received_at`, f.timeZone)} as "receivedAtLocal",
        coalesce((select sum(e.amount_cents) from seller_payouts e where e.lead_id = l.id and e.kind = 'PAYOUT'), 0) as paid,
        coalesce((select sum(e.amount_cents) from seller_payouts e where e.lead_id = l.id and e.kind = 'PAYOUT_REVERSAL'), 0) as reversed,
        exists (select 1 from return_requests r where r.lead_id = l.id and r.status = 'APPROVED') as returned
      from leads l
      where ${filterSql(f)}
        ${cursorAt ? sql`and (l.received_at, l.id) < (${cursorAt}::timestamptz, ${cursorId}::uuid)` : sql``}
      order by l.received_at desc, l.id desc
      limit ${page.limit + 1}`),
  );
  const items = rows.slice(0, page.limit).map(({ paid, reversed, ...r }) => ({
    ...r,
    paidCents: Number(paid),
    reversedCents: Number(reversed),
  }));
  const last = items.at(-1);
  return { items, nextCursor: rows.length > page.limit && last ? `${last.receivedAt}|${last.id}` : null };
}

/** The verticals a seller has sent leads in (the filter's choices). */
export async function listSellerVerticals(db: DbOrTx, sellerOrgId: string): Promise<string[]> {
  const rows = rowsOf<{ vertical: string }>(
    await db.execute(
      sql`select distinct vertical from leads where seller_org_id = ${sellerOrgId}::uuid order by vertical limit 200`,
    ),
  );
  return rows.map((r) => r.vertical);
}

// ---- one lead -----------------------------------------------------------------------------------

export interface SellerLeadFacts {
  id: string;
  externalId: string | null;
  status: LeadStatus;
  unsoldReason: UnsoldReason | null;
  vertical: string;
  zip: string;
  state: string | null;
  contact: Record<string, unknown>;
  customFields: Record<string, unknown>;
  /** The phone and email checks made at intake (null: from before them). */
  validation: LeadValidation | null;
  receivedAt: string;
  finishedAt: string | null;
}

/** The lead, its timeline events of the kinds a seller may see, its returns and its ledger entries; null if not the seller's. */
export async function getSellerLead(db: DbOrTx, sellerOrgId: string, leadId: string, eventKinds: readonly string[]) {
  const [lead] = rowsOf<SellerLeadFacts>(
    await db.execute(sql`
      select l.id, l.external_id as "externalId", l.status, l.unsold_reason as "unsoldReason", l.vertical, l.zip, l.state,
        l.contact, l.custom_fields as "customFields", l.validation, ${atText(sql`l.received_at`)} as "receivedAt",
        case when l.finished_at is not null then ${atText(sql`l.finished_at`)} end as "finishedAt"
      from leads l where l.id = ${leadId}::uuid and l.seller_org_id = ${sellerOrgId}::uuid`),
  );
  if (!lead) return null;
  const kinds = sql.join(
    eventKinds.map((k) => sql`${k}`),
    sql`, `,
  );
  const events = rowsOf<{ id: number; at: string; kind: string; data: Record<string, unknown> }>(
    await db.execute(sql`
      select id, ${atText(sql`at`)} as at, kind, data from lead_events
      where lead_id = ${leadId}::uuid and kind in (${kinds}) order by at, id`),
  );
  const returns = rowsOf<{
    id: string;
    reason: string;
    status: string;
    requestedAt: string;
    decidedAt: string | null;
  }>(
    await db.execute(sql`
      select r.id, r.reason, r.status, ${atText(sql`r.created_at`)} as "requestedAt",
        case when r.decided_at is not null then ${atText(sql`r.decided_at`)} end as "decidedAt"
      from return_requests r where r.lead_id = ${leadId}::uuid order by r.created_at, r.id`),
  );
  const ledger = rowsOf<{ kind: "PAYOUT" | "PAYOUT_REVERSAL"; amountCents: number; at: string }>(
    await db.execute(sql`
      select kind, amount_cents as "amountCents", ${atText(sql`created_at`)} as at
      from seller_payouts where lead_id = ${leadId}::uuid and seller_org_id = ${sellerOrgId}::uuid order by id`),
  );
  return { lead, events, returns, ledger };
}

// ---- the statement ------------------------------------------------------------------------------

export interface StatementMonth {
  /** YYYY-MM, in the seller's zone. */
  month: string;
  /** Leads that sold in the month (by when the auction finished). */
  sold: number;
  /** Payout entries booked in the month. */
  earnedCents: number;
  /** Reversal entries booked in the month (zero or negative). */
  reversedCents: number;
  reversals: number;
  netCents: number;
}

/** The seller's months in its zone, newest first: sales by when they finished, money by when it was booked. */
export async function sellerStatement(db: DbOrTx, sellerOrgId: string, timeZone: string): Promise<StatementMonth[]> {
  const rows = rowsOf<{ month: string; sold: number; earned: string; reversed: string; reversals: number }>(
    await db.execute(sql`
      with s as (
        select to_char(l.finished_at at time zone ${timeZone}::text, 'YYYY-MM') as month, count(*)::int as sold
        from leads l where l.seller_org_id = ${sellerOrgId}::uuid and l.status = 'SOLD' and l.finished_at is not null
        group by 1
      ), m as (
        select to_char(e.created_at at time zone ${timeZone}::text, 'YYYY-MM') as month,
          coalesce(sum(e.amount_cents) filter (where e.kind = 'PAYOUT'), 0) as earned,
          coalesce(sum(e.amount_cents) filter (where e.kind = 'PAYOUT_REVERSAL'), 0) as reversed,
          count(*) filter (where e.kind = 'PAYOUT_REVERSAL')::int as reversals
        from seller_payouts e where e.seller_org_id = ${sellerOrgId}::uuid
        group by 1
      )
      select coalesce(s.month, m.month) as month, coalesce(s.sold, 0) as sold,
        coalesce(m.earned, 0) as earned, coalesce(m.reversed, 0) as reversed, coalesce(m.reversals, 0) as reversals
      from s full join m on m.month = s.month
      order by 1 desc`),
  );
  return rows.map((r) => ({
    month: r.month,
    sold: r.sold,
    earnedCents: Number(r.earned),
    reversedCents: Number(r.reversed),
    reversals: r.reversals,
    netCents: Number(r.earned) + Number(r.reversed),
  }));
}

export interface StatementEntry {
  /** When it was booked, on the seller's clock with the offset (localText). */
  at: string;
  kind: "PAYOUT" | "PAYOUT_REVERSAL";
  amountCents: number;
  leadId: string;
  externalId: string | null;
  vertical: string;
}

/** The ledger entries booked in one month (`YYYY-MM`) of the seller's zone, in order. */
export async function sellerStatementEntries(
  db: DbOrTx,
  sellerOrgId: string,
  month: string,
  timeZone: string,
): Promise<StatementEntry[]> {
  const first = sql`${`${month}-01`}::date`;
  return rowsOf<StatementEntry>(
    await db.execute(sql`
      select ${localText(sql`e.created_at`, timeZone)} as at, e.kind, e.amount_cents as "amountCents", e.lead_id as "leadId",
        l.external_id as "externalId", e.vertical
      from seller_payouts e join leads l on l.id = e.lead_id
      where e.seller_org_id = ${sellerOrgId}::uuid
        and e.created_at >= ${localMidnight(first, timeZone)}
        and e.created_at < ${localMidnight(sql`${first} + interval '1 month'`, timeZone)}
      order by e.created_at, e.id`),
  );
}
