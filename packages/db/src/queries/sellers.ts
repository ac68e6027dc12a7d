// The seller side's SQL (packages/api/src/sellers): source settings and payout rules, inbound
// pings and their holds. The claim that lets one post use a ping once is part of the post's
// intake statement (queries/auction.ts insertLeadWithIntake, `claim`).
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "../client";
import { rowsOf } from "../client";
import { orgs } from "../schema/auth";
import { leads } from "../schema/leads";
import { verticals } from "../schema/buyers";
import { payoutRules, sellerPings, sellerSources, type HeldExchange, type SellerPingPartial } from "../schema/sellers";
import { balancesSql, type Balances } from "./auction";

export type PayoutRuleRow = typeof payoutRules.$inferSelect;
export type SellerSourceRow = typeof sellerSources.$inferSelect;
export type SellerPingRow = typeof sellerPings.$inferSelect;

/** What a seller without a settings row gets; the time zone is the platform's (as for buyers). */
export const SOURCE_DEFAULTS = { pingTtlSeconds: 60, returnWindowDays: 30, timeZone: "America/Chicago" } as const;

/** What a ping decides with, in one round trip: the vertical, the buyer-config version, the source. */
export async function loadPingContext(db: Db, sellerOrgId: string, vertical: string) {
  const [r] = rowsOf<{
    vertical_ok: boolean;
    config_version: number | string;
    ttl: number | null;
    rules: PayoutRuleRow[] | null;
    balances: Balances | null;
  }>(
    await db.execute(sql`
      select exists(select 1 from verticals where key = ${vertical} and active) as vertical_ok,
        (select version from buyer_config_version where id = 1) as config_version,
        ${balancesSql(sql`${vertical}::text`)} as balances,
        (select ping_ttl_seconds from seller_sources where seller_org_id = ${sellerOrgId}::uuid) as ttl,
        (select json_agg(json_build_object('vertical', p.vertical, 'kind', p.kind, 'fixedCents', p.fixed_cents, 'shareBp', p.share_bp,
            'marginCents', p.margin_cents, 'minMarginCents', p.min_margin_cents))
          from payout_rules p where p.seller_org_id = ${sellerOrgId}::uuid and (p.vertical is null or p.vertical = ${vertical})) as rules`),
  );
  return {
    verticalOk: r?.vertical_ok === true,
    configVersion: Number(r?.config_version ?? 0),
    balances: r?.balances ?? {},
    pingTtlSeconds: r?.ttl ?? SOURCE_DEFAULTS.pingTtlSeconds,
    rules: (r?.rules ?? []) as Pick<
      PayoutRuleRow,
      "vertical" | "kind" | "fixedCents" | "shareBp" | "marginCents" | "minMarginCents"
    >[],
  };
}

export interface NewSellerPing {
  id: string;
  sellerOrgId: string;
  partial: SellerPingPartial;
  held: HeldExchange[];
  accepted: boolean;
  bestBidCents: number | null;
  payoutCents: number;
  rule: Record<string, unknown> | null;
  createdAt: Date;
  expiresAt: Date;
}

/**
 * Many pings' holds in one statement and one commit (the hold writer's batch, sellers/hold-writer.ts).
 * The rows travel as one jsonb parameter, so the statement's text is the same whatever the batch's
 * size: prepared once per connection, not once per size.
 */
export async function insertSellerPings(db: DbOrTx, ps: readonly NewSellerPing[]): Promise<void> {
  if (ps.length === 0) return;
  const rows = ps.map((p) => ({
    id: p.id,
    seller_org_id: p.sellerOrgId,
    partial: p.partial,
    held: p.held,
    accepted: p.accepted,
    best_bid_cents: p.bestBidCents,
    payout_cents: p.payoutCents,
    rule: p.rule,
    created_at: p.createdAt.toISOString(),
    expires_at: p.expiresAt.toISOString(),
  }));
  await db.execute(sql`
    insert into seller_pings (id, seller_org_id, partial, held, accepted, best_bid_cents, payout_cents, rule, created_at, expires_at)
    select id, seller_org_id, partial, held, accepted, best_bid_cents, payout_cents, rule, created_at, expires_at
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(id uuid, seller_org_id uuid, partial jsonb, held jsonb, accepted boolean,
      best_bid_cents int, payout_cents int, rule jsonb, created_at timestamptz, expires_at timestamptz)`);
}

export async function findSellerPing(db: DbOrTx, id: string): Promise<SellerPingRow | null> {
  const [row] = await db.select().from(sellerPings).where(eq(sellerPings.id, id));
  return row ?? null;
}

/** Whether the vertical exists and is active (why a post's claim wrote nothing, sellers/post-lead.ts). */
export async function verticalActive(db: DbOrTx, key: string): Promise<boolean> {
  const [v] = await db
    .select({ key: verticals.key })
    .from(verticals)
    .where(and(eq(verticals.key, key), eq(verticals.active, true)));
  return v !== undefined;
}

/** Every seller org with its settings (defaults where it has none) and its payout rules. */
export async function listSources(db: DbOrTx, sellerOrgId?: string) {
  const rows = await db
    .select({ orgId: orgs.id, name: orgs.name, settings: sellerSources })
    .from(orgs)
    .leftJoin(sellerSources, eq(sellerSources.sellerOrgId, orgs.id))
    .where(and(eq(orgs.kind, "seller"), sellerOrgId ? eq(orgs.id, sellerOrgId) : undefined))
    .orderBy(asc(orgs.name));
  const rules = await db
    .select()
    .from(payoutRules)
    .where(sellerOrgId ? eq(payoutRules.sellerOrgId, sellerOrgId) : undefined)
    .orderBy(asc(payoutRules.vertical));
  return rows.map((r) => ({
    orgId: r.orgId,
    name: r.name,
    pingTtlSeconds: r.settings?.pingTtlSeconds ?? SOURCE_DEFAULTS.pingTtlSeconds,
    returnWindowDays: r.settings?.returnWindowDays ?? SOURCE_DEFAULTS.returnWindowDays,
    timeZone: r.settings?.timeZone ?? SOURCE_DEFAULTS.timeZone,
    rules: rules.filter((p) => p.sellerOrgId === r.orgId),
  }));
}

/** The admin's save of a source's terms; a time zone left out keeps the one it has. */
export async function upsertSourceSettings(
  db: DbOrTx,
  s: {
    sellerOrgId: string;
    pingTtlSeconds: number;
    returnWindowDays: number;
    timeZone?: string;
    at: Date;
    by: string | null;
  },
) {
  const zone = s.timeZone === undefined ? {} : { timeZone: s.timeZone };
  await db
    .insert(sellerSources)
    .values({
      sellerOrgId: s.sellerOrgId,
      pingTtlSeconds: s.pingTtlSeconds,
      returnWindowDays: s.returnWindowDays,
      ...zone,
      updatedAt: s.at,
      updatedBy: s.by,
    })
    .onConflictDoUpdate({
      target: sellerSources.sellerOrgId,
      set: {
        pingTtlSeconds: s.pingTtlSeconds,
        returnWindowDays: s.returnWindowDays,
        ...zone,
        updatedAt: s.at,
        updatedBy: s.by,
      },
    });
}

/** The seller's own save of its time zone: its other settings stay as they are (or the defaults). */
export async function upsertSellerTimeZone(
  db: DbOrTx,
  s: { sellerOrgId: string; timeZone: string; at: Date; by: string | null },
) {
  await db
    .insert(sellerSources)
    .values({ sellerOrgId: s.sellerOrgId, timeZone: s.timeZone, updatedAt: s.at, updatedBy: s.by })
    .onConflictDoUpdate({
      target: sellerSources.sellerOrgId,
      set: { timeZone: s.timeZone, updatedAt: s.at, updatedBy: s.by },
    });
}

/** The zone a seller's portal counts in (the default when it has no settings row). */
export async function sellerTimeZone(db: DbOrTx, sellerOrgId: string): Promise<string> {
  const [row] = await db
    .select({ timeZone: sellerSources.timeZone })
    .from(sellerSources)
    .where(eq(sellerSources.sellerOrgId, sellerOrgId));
  return row?.timeZone ?? SOURCE_DEFAULTS.timeZone;
}

/**
 * Whether PostgreSQL's own zone database knows the name (exactly, as AT TIME ZONE will read it):
 * Node's ICU and the server's tzdata are separate copies and a new zone may be in one only.
 */
export async function isPostgresTimeZone(db: DbOrTx, name: string): Promise<boolean> {
  const [r] = rowsOf<{ ok: boolean }>(
    await db.execute(sql`select exists (select 1 from pg_timezone_names where name = ${name}) as ok`),
  );
  return r?.ok === true;
}

export type PayoutRuleInput = Pick<
  PayoutRuleRow,
  "sellerOrgId" | "vertical" | "kind" | "fixedCents" | "shareBp" | "marginCents" | "minMarginCents"
>;

/** One rule per (source, vertical or all): setting it again replaces it. */
export async function upsertPayoutRule(db: DbOrTx, r: PayoutRuleInput & { at: Date; by: string | null }) {
  await db.execute(sql`
    insert into payout_rules (seller_org_id, vertical, kind, fixed_cents, share_bp, margin_cents, min_margin_cents, updated_at, updated_by)
    values (${r.sellerOrgId}::uuid, ${r.vertical}, ${r.kind}::payout_rule_kind, ${r.fixedCents}::int, ${r.shareBp}::int, ${r.marginCents}::int,
      ${r.minMarginCents}::int, ${r.at.toISOString()}::timestamptz, ${r.by}::uuid)
    on conflict (seller_org_id, (coalesce(vertical, ''))) do update set kind = excluded.kind, fixed_cents = excluded.fixed_cents,
      share_bp = excluded.share_bp, margin_cents = excluded.margin_cents, min_margin_cents = excluded.min_margin_cents,
      updated_at = excluded.updated_at, updated_by = excluded.updated_by`);
}

export async function deletePayoutRule(db: DbOrTx, sellerOrgId: string, vertical: string | null): Promise<boolean> {
  const rows = await db
    .delete(payoutRules)
    .where(
      and(
        eq(payoutRules.sellerOrgId, sellerOrgId),
        vertical === null ? isNull(payoutRules.vertical) : eq(payoutRules.vertical, vertical),
      ),
    )
    .returning({ id: payoutRules.id });
  return rows.length > 0;
}

/** A posted lead's end, as the post answers it. */
export async function leadSettlement(db: DbOrTx, leadId: string) {
  const [r] = await db
    .select({ status: leads.status, unsoldReason: leads.unsoldReason, payoutCents: leads.payoutCents })
    .from(leads)
    .where(eq(leads.id, leadId));
  return r ?? null;
}
