// The audit log (schema/audit.ts): the one insert, the page the admin and a buyer browse, and the
// snapshot of each audited entity that the api's `audited` wrapper takes before and after a change.
import { and, asc, desc, eq, gte, ilike, lt, or, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { auditLog } from "../schema/audit";
import { apiKeys, passwordResetTokens, users } from "../schema/auth";
import { buyerZips, buyers, verticals } from "../schema/buyers";
import { djVirtualNumbers } from "../schema/calls";
import { djs, marketSettings } from "../schema/marketplace";
import { djNotifySettings } from "../schema/notify";
import { sellerWebhooks } from "../schema/seller-webhooks";
import { payoutRules, sellerSources } from "../schema/sellers";

export type AuditInsert = typeof auditLog.$inferInsert;
export type AuditRow = typeof auditLog.$inferSelect;

export async function insertAuditEntry(db: DbOrTx, row: AuditInsert): Promise<void> {
  await db.insert(auditLog).values(row);
}

/** What an audited entity is: its fields as stored, and the organisation it belongs to. */
export interface AuditSnapshot {
  orgId: string | null;
  fields: Record<string, unknown>;
}

export const AUDIT_ENTITIES = [
  "buyer",
  "vertical",
  "source",
  "routing",
  "api_key",
  "seller_webhook",
  "dj",
  "dj_notify",
  "virtual_number",
  "user",
] as const;
export type AuditEntity = (typeof AUDIT_ENTITIES)[number];

const one = async <T>(rows: Promise<T[]>): Promise<T | undefined> => (await rows)[0];

/** The entity's current fields, or null when it does not exist (before a create, after a delete). */
export async function loadAuditSnapshot(db: DbOrTx, entity: AuditEntity, id: string): Promise<AuditSnapshot | null> {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
  switch (entity) {
    case "buyer": {
      if (!isUuid) return null;
      const b = await one(db.select().from(buyers).where(eq(buyers.id, id)));
      if (!b) return null;
      const zips = await db
        .select({ zip: buyerZips.zip, priority: buyerZips.priority, maxBidCents: buyerZips.maxBidCents })
        .from(buyerZips)
        .where(eq(buyerZips.buyerId, id))
        .orderBy(asc(buyerZips.zip));
      const { createdAt: _c, updatedAt: _u, returnRateBp: _r, ...fields } = b;
      return { orgId: b.orgId, fields: { ...fields, zips } };
    }
    case "vertical": {
      const v = await one(db.select().from(verticals).where(eq(verticals.key, id)));
      if (!v) return null;
      const { createdAt: _c, ...fields } = v;
      return { orgId: null, fields };
    }
    case "source": {
      if (!isUuid) return null;
      const s = await one(db.select().from(sellerSources).where(eq(sellerSources.sellerOrgId, id)));
      const rules = await db
        .select({
          id: payoutRules.id,
          vertical: payoutRules.vertical,
          kind: payoutRules.kind,
          fixedCents: payoutRules.fixedCents,
          shareBp: payoutRules.shareBp,
          marginCents: payoutRules.marginCents,
          minMarginCents: payoutRules.minMarginCents,
        })
        .from(payoutRules)
        .where(eq(payoutRules.sellerOrgId, id))
        .orderBy(asc(payoutRules.vertical), asc(payoutRules.id));
      return {
        orgId: id,
        fields: {
          pingTtlSeconds: s?.pingTtlSeconds ?? null,
          returnWindowDays: s?.returnWindowDays ?? null,
          timeZone: s?.timeZone ?? null,
          rules,
        },
      };
    }
    case "routing": {
      const r = await one(db.select().from(marketSettings).where(eq(marketSettings.id, id)));
      return r ? { orgId: null, fields: { ...r.routing, cityWindows: r.cityWindows } } : null;
    }
    case "api_key": {
      if (!isUuid) return null;
      const k = await one(db.select().from(apiKeys).where(eq(apiKeys.id, id)));
      if (!k) return null;
      const { keyHash: _h, lastUsedAt: _l, ...fields } = k;
      return { orgId: k.orgId, fields };
    }
    case "seller_webhook": {
      if (!isUuid) return null;
      const w = await one(db.select().from(sellerWebhooks).where(eq(sellerWebhooks.sellerOrgId, id)));
      if (!w) return null;
      const { createdAt: _c, updatedAt: _u, updatedBy: _b, ...fields } = w;
      return { orgId: id, fields };
    }
    case "dj": {
      if (!isUuid) return null;
      const d = await one(db.select().from(djs).where(eq(djs.id, id)));
      if (!d) return null;
      const pick = d as Record<string, unknown>;
      const keep = ["name", "city", "state", "tier", "priceMinCents", "priceMaxCents", "isActive", "isSuspended"];
      return { orgId: d.orgId, fields: Object.fromEntries(keep.filter((k) => k in pick).map((k) => [k, pick[k]])) };
    }
    case "dj_notify": {
      if (!isUuid) return null;
      const n = await one(db.select().from(djNotifySettings).where(eq(djNotifySettings.djId, id)));
      const d = await one(db.select({ orgId: djs.orgId }).from(djs).where(eq(djs.id, id)));
      if (!n) return d ? { orgId: d.orgId, fields: {} } : null;
      const { updatedAt: _u, userId: _user, ...fields } = n;
      return { orgId: d?.orgId ?? null, fields };
    }
    case "virtual_number": {
      if (!isUuid) return null;
      const v = await one(db.select().from(djVirtualNumbers).where(eq(djVirtualNumbers.id, id)));
      if (!v) return null;
      return { orgId: null, fields: { number: v.number, djId: v.djId, recordingEnabled: v.recordingEnabled } };
    }
    case "user": {
      if (!isUuid) return null;
      const u = await one(db.select().from(users).where(eq(users.id, id)));
      if (!u) return null;
      const [reset] = await db
        .select({ at: sql<string | null>`max(${passwordResetTokens.createdAt})` })
        .from(passwordResetTokens)
        .where(eq(passwordResetTokens.userId, id));
      return {
        orgId: u.orgId,
        fields: {
          email: u.email,
          name: u.name,
          role: u.role,
          deactivatedAt: u.deactivatedAt,
          // Redacted by name; it is here so a password change shows in `changed`.
          passwordHash: u.passwordHash,
          resetLinkIssuedAt: reset?.at ? new Date(reset.at) : null,
        },
      };
    }
  }
}

export interface AuditQuery {
  /** null: every organisation (an admin); otherwise entries about, or made by, this organisation. */
  orgId: string | null;
  entityType?: string;
  entityId?: string;
  /** Part of the actor's email. */
  actor?: string;
  action?: string;
  from?: Date;
  to?: Date;
  /** `at|id` of the last row of the previous page. */
  cursor?: string;
  limit: number;
}

const CURSOR = /^(\d{4}-\d\d-\d\dT[\d:.]+Z)\|([0-9a-f-]{36})$/;

/** One page, newest first, and the cursor of the next page (null on the last). */
export async function listAuditEntries(db: DbOrTx, q: AuditQuery): Promise<{ rows: AuditRow[]; next: string | null }> {
  const where: (SQL | undefined)[] = [];
  if (q.orgId) where.push(or(eq(auditLog.orgId, q.orgId), eq(auditLog.actorOrgId, q.orgId)));
  if (q.entityType) where.push(eq(auditLog.entityType, q.entityType));
  if (q.entityId) where.push(eq(auditLog.entityId, q.entityId));
  if (q.action) where.push(eq(auditLog.action, q.action));
  if (q.actor) where.push(ilike(auditLog.actorEmail, `%${q.actor.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
  if (q.from) where.push(gte(auditLog.at, q.from));
  if (q.to) where.push(lt(auditLog.at, q.to));
  const m = q.cursor ? CURSOR.exec(q.cursor) : null;
  if (m) where.push(sql`(${auditLog.at}, ${auditLog.id}) < (${m[1]}::timestamptz, ${m[2]}::uuid)`);
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(...where))
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return { rows: page, next: rows.length > q.limit && last ? `${last.at.toISOString()}|${last.id}` : null };
}

/** The distinct actions recorded (for the filter's choices). */
export async function listAuditActions(db: DbOrTx, orgId: string | null): Promise<string[]> {
  const rows = await db
    .selectDistinct({ action: auditLog.action })
    .from(auditLog)
    .where(orgId ? or(eq(auditLog.orgId, orgId), eq(auditLog.actorOrgId, orgId)) : undefined)
    .orderBy(asc(auditLog.action));
  return rows.map((r) => r.action);
}

/** Every buyer's id (an import's before and after). */
export async function listBuyerIdsForAudit(db: DbOrTx): Promise<string[]> {
  return (await db.select({ id: buyers.id }).from(buyers).orderBy(asc(buyers.id))).map((r) => r.id);
}

/**
 * How many entries of `action` this organisation's users made since `since`, counted under a
 * transaction-scoped advisory lock on the pair, so two concurrent callers cannot both pass a limit.
 */
export async function countRecentAuditActionsLocked(
  tx: DbOrTx,
  actorOrgId: string,
  action: string,
  since: Date,
): Promise<number> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`audit-rate:${action}:${actorOrgId}`}))`);
  const [r] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(auditLog)
    .where(and(eq(auditLog.actorOrgId, actorOrgId), eq(auditLog.action, action), gte(auditLog.at, since)));
  return r?.n ?? 0;
}

/** The admin's locks on a buyer's self-service terms. */
export async function setBuyerLockedFields(db: DbOrTx, id: string, fields: string[], at: Date): Promise<boolean> {
  const rows = await db
    .update(buyers)
    .set({ lockedFields: fields, updatedAt: at })
    .where(eq(buyers.id, id))
    .returning({ id: buyers.id });
  return rows.length > 0;
}
