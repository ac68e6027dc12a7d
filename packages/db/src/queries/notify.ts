// DJ notifications: channels and quiet hours, Web Push subscriptions, each message's attempts, and
// the server's own generated secrets.
import { and, asc, eq, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import type { BossDb, DbOrTx, Tx } from "../client";
import {
  appSecrets,
  djNotifications,
  djNotifySettings,
  djs,
  leadAssignments,
  marketLeads,
  pushSubscriptions,
  users,
} from "../schema";

export type DjNotifySettingsRow = typeof djNotifySettings.$inferSelect;
export type DjNotificationRow = typeof djNotifications.$inferSelect;
export type PushSubscriptionRow = typeof pushSubscriptions.$inferSelect;

export async function getDjNotifySettings(db: DbOrTx, djId: string): Promise<DjNotifySettingsRow | undefined> {
  const [row] = await db.select().from(djNotifySettings).where(eq(djNotifySettings.djId, djId));
  return row;
}

export async function upsertDjNotifySettings(
  db: DbOrTx,
  row: Omit<typeof djNotifySettings.$inferInsert, "updatedAt"> & { updatedAt: Date },
): Promise<DjNotifySettingsRow> {
  const { djId: _dj, ...rest } = row;
  const [saved] = await db
    .insert(djNotifySettings)
    .values(row)
    .onConflictDoUpdate({ target: djNotifySettings.djId, set: rest })
    .returning();
  return saved!;
}

/** Saves a browser's subscription for the user (an endpoint moves to whoever subscribed it last). */
export async function upsertPushSubscription(
  db: DbOrTx,
  s: { userId: string; endpoint: string; p256dh: string; auth: string; userAgent: string | null },
): Promise<void> {
  await db
    .insert(pushSubscriptions)
    .values(s)
    .onConflictDoUpdate({
      target: pushSubscriptions.endpoint,
      set: { userId: s.userId, p256dh: s.p256dh, auth: s.auth, userAgent: s.userAgent },
    });
}

export async function deletePushSubscription(db: DbOrTx, endpoint: string, userId?: string): Promise<number> {
  const rows = await db
    .delete(pushSubscriptions)
    .where(
      userId
        ? and(eq(pushSubscriptions.endpoint, endpoint), eq(pushSubscriptions.userId, userId))
        : eq(pushSubscriptions.endpoint, endpoint),
    )
    .returning({ id: pushSubscriptions.id });
  return rows.length;
}

export async function countPushSubscriptions(db: DbOrTx, userId: string): Promise<number> {
  const [r] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(pushSubscriptions)
    .where(eq(pushSubscriptions.userId, userId));
  return r?.n ?? 0;
}

/** The browsers of every user of the DJ's organisation. */
export async function listPushSubscriptionsOfDj(db: DbOrTx, djId: string): Promise<PushSubscriptionRow[]> {
  return db
    .select({
      id: pushSubscriptions.id,
      userId: pushSubscriptions.userId,
      endpoint: pushSubscriptions.endpoint,
      p256dh: pushSubscriptions.p256dh,
      auth: pushSubscriptions.auth,
      userAgent: pushSubscriptions.userAgent,
      createdAt: pushSubscriptions.createdAt,
    })
    .from(pushSubscriptions)
    .innerJoin(users, eq(users.id, pushSubscriptions.userId))
    .innerJoin(djs, eq(djs.orgId, users.orgId))
    .where(eq(djs.id, djId))
    .orderBy(asc(pushSubscriptions.createdAt));
}

/**
 * One message per open offer of these (lead, DJ) pairs and per channel the DJ has on (email alone
 * when the DJ never chose), written in the offers' own transaction (one lead's routing step, or a
 * batch of the phase timer sweeper). Returns the new rows' ids with their lead.
 */
export async function insertOfferNotificationsForOffers(
  tx: Tx,
  p: { offers: readonly { leadId: string; djId: string }[]; now: Date },
): Promise<{ id: string; leadId: string }[]> {
  if (p.offers.length === 0) return [];
  const wanted = new Set(p.offers.map((o) => `${o.leadId}:${o.djId}`));
  const offers = (
    await tx
      .select({
        assignmentId: leadAssignments.id,
        leadId: leadAssignments.leadId,
        djId: leadAssignments.djId,
        email: djNotifySettings.email,
        sms: djNotifySettings.sms,
        push: djNotifySettings.push,
      })
      .from(leadAssignments)
      .leftJoin(djNotifySettings, eq(djNotifySettings.djId, leadAssignments.djId))
      .where(
        and(
          inArray(leadAssignments.leadId, [...new Set(p.offers.map((o) => o.leadId))]),
          inArray(leadAssignments.djId, [...new Set(p.offers.map((o) => o.djId))]),
          eq(leadAssignments.status, "offered"),
        ),
      )
  ).filter((o) => wanted.has(`${o.leadId}:${o.djId}`));
  const values = offers.flatMap((o) =>
    (
      [
        ["email", o.email ?? true],
        ["sms", o.sms ?? false],
        ["push", o.push ?? false],
      ] as const
    )
      .filter(([, on]) => on)
      .map(([channel]) => ({
        assignmentId: o.assignmentId,
        leadId: o.leadId,
        djId: o.djId,
        channel,
        createdAt: p.now,
      })),
  );
  if (values.length === 0) return [];
  return tx
    .insert(djNotifications)
    .values(values)
    .onConflictDoNothing()
    .returning({ id: djNotifications.id, leadId: djNotifications.leadId });
}

/** A message with what its send needs: the offer's state, the lead, the DJ and its settings. */
export async function getNotificationForSend(db: DbOrTx, id: string) {
  const [row] = await db
    .select({
      n: djNotifications,
      offerStatus: leadAssignments.status,
      windowEndsAt: leadAssignments.windowEndsAt,
      leadState: marketLeads.leadState,
      acceptedDjId: marketLeads.acceptedDjId,
      city: marketLeads.city,
      eventType: marketLeads.eventType,
      eventDate: marketLeads.eventDate,
      budgetMinCents: marketLeads.budgetMinCents,
      budgetMaxCents: marketLeads.budgetMaxCents,
      djName: djs.name,
      djOrgId: djs.orgId,
      djEmail: djs.contactEmail,
      settings: djNotifySettings,
    })
    .from(djNotifications)
    .innerJoin(leadAssignments, eq(leadAssignments.id, djNotifications.assignmentId))
    .innerJoin(marketLeads, eq(marketLeads.id, djNotifications.leadId))
    .innerJoin(djs, eq(djs.id, djNotifications.djId))
    .leftJoin(djNotifySettings, eq(djNotifySettings.djId, djNotifications.djId))
    .where(eq(djNotifications.id, id));
  return row;
}

/** The first user of the DJ's organisation (the link's user when no one saved settings). */
export async function firstUserOfDj(db: DbOrTx, djId: string): Promise<string | undefined> {
  const [u] = await db
    .select({ id: users.id })
    .from(users)
    .innerJoin(djs, eq(djs.orgId, users.orgId))
    .where(eq(djs.id, djId))
    .orderBy(asc(users.createdAt))
    .limit(1);
  return u?.id;
}

/**
 * Claims the next attempt: only a queued, held or failed message that is due (no next attempt
 * time, or one not after `now`) and whose attempts are still `seen`. The claim leases the message
 * until `leaseUntil` (its next attempt time), so a second worker holding the same job, or the
 * first attempt made right after the offer committed, finds it taken while it is being sent; a
 * process that dies mid-send leaves it to be tried again once the lease ends.
 */
export async function claimNotificationAttempt(db: DbOrTx, id: string, seen: number, now: Date, leaseUntil: Date) {
  const [row] = await db
    .update(djNotifications)
    .set({ attempts: sql`${djNotifications.attempts} + 1`, nextAttemptAt: leaseUntil })
    .where(
      and(
        eq(djNotifications.id, id),
        eq(djNotifications.attempts, seen),
        inArray(djNotifications.status, ["queued", "held", "failed"]),
        or(isNull(djNotifications.nextAttemptAt), lte(djNotifications.nextAttemptAt, now)),
      ),
    )
    .returning();
  return row;
}

/** Moves a message that is still pending (queued, held or failed) to its next state. */
export async function setNotificationState(
  db: DbOrTx,
  id: string,
  patch: Partial<Pick<DjNotificationRow, "status" | "nextAttemptAt" | "sentAt" | "error" | "detail">>,
) {
  const [row] = await db
    .update(djNotifications)
    .set(patch)
    .where(and(eq(djNotifications.id, id), inArray(djNotifications.status, ["queued", "held", "failed"])))
    .returning();
  return row;
}

/** Pending messages whose job was lost: queued or failed past their time, or held past the quiet hours. */
export async function listOverdueNotifications(db: DbOrTx, before: Date, limit = 500) {
  return db
    .select({ id: djNotifications.id })
    .from(djNotifications)
    .where(
      or(
        and(
          eq(djNotifications.status, "queued"),
          lt(djNotifications.createdAt, before),
          or(isNull(djNotifications.nextAttemptAt), lt(djNotifications.nextAttemptAt, before)),
        ),
        and(inArray(djNotifications.status, ["failed", "held"]), lt(djNotifications.nextAttemptAt, before)),
      ),
    )
    .limit(limit);
}

export async function listLeadNotifications(db: DbOrTx, leadId: string) {
  return db
    .select()
    .from(djNotifications)
    .where(eq(djNotifications.leadId, leadId))
    .orderBy(asc(djNotifications.createdAt));
}

/** The stored secret, writing `initial` first if there is none (the first process to start wins). */
export async function getOrCreateAppSecret(
  db: DbOrTx,
  name: string,
  initial: () => Record<string, string>,
): Promise<Record<string, string>> {
  await db.insert(appSecrets).values({ name, value: initial() }).onConflictDoNothing();
  const [row] = await db.select().from(appSecrets).where(eq(appSecrets.name, name));
  return row!.value;
}

/** pg-boss's `db` option inside a drizzle transaction: a job sent this way commits with it. */
export function bossDbOf(tx: DbOrTx): BossDb {
  const client = (tx as unknown as { session: { client: unknown } }).session.client as {
    unsafe?: (text: string, values: unknown[]) => Promise<Iterable<Record<string, unknown>>>;
    query?: (text: string, values: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;
  };
  return {
    async executeSql(text: string, raw?: unknown[]) {
      // pg-boss leaves options it was not given undefined (postgres.js wants null) and passes the
      // job's data as an object (node-postgres would serialise it; postgres.js wants the JSON text).
      const values = (raw ?? []).map((v) =>
        v === undefined ? null : v !== null && typeof v === "object" && !(v instanceof Date) ? JSON.stringify(v) : v,
      );
      if (client.unsafe) return { rows: [...(await client.unsafe(text, values))] };
      return { rows: (await client.query!(text, values)).rows };
    },
  };
}

/** The lead and DJ of an offer, by the offer's id (a one-tap link names the offer). */
export async function getOfferLead(db: DbOrTx, offerId: string) {
  const [row] = await db
    .select({ leadId: leadAssignments.leadId, djId: leadAssignments.djId })
    .from(leadAssignments)
    .where(eq(leadAssignments.id, offerId));
  return row;
}
