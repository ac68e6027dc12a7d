// Calls and tracking numbers: a call's row keyed by its CallSid (locked while a webhook applies
// to it), the per-DJ-and-caller advisory lock that keeps threads from forking, the number pool's
// rotation under row locks, and the call statistics.
import { and, asc, desc, eq, gte, isNotNull, isNull, lt, ne, or, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { callLeads, djs, djVirtualNumbers, leadAssignments, marketLeads } from "../schema";

export type CallRow = typeof callLeads.$inferSelect;
export type CallInsert = typeof callLeads.$inferInsert;

/** The call with this CallSid, locked for update. */
export async function getCallBySidForUpdate(tx: DbOrTx, callSid: string): Promise<CallRow | undefined> {
  const [call] = await tx.select().from(callLeads).where(eq(callLeads.callSid, callSid)).for("update");
  return call;
}

/** The tracking number dialled, with its DJ and the DJ's state. */
export async function getVirtualNumberWithDj(tx: DbOrTx, number: string) {
  const [num] = await tx
    .select({
      id: djVirtualNumbers.id,
      djId: djVirtualNumbers.djId,
      recordingEnabled: djVirtualNumbers.recordingEnabled,
      djState: djs.state,
    })
    .from(djVirtualNumbers)
    .innerJoin(djs, eq(djs.id, djVirtualNumbers.djId))
    .where(eq(djVirtualNumbers.number, number));
  return num;
}

/** Inserts the call unless its CallSid exists (on conflict do nothing); undefined when it did. */
export async function insertCallIfAbsent(tx: DbOrTx, values: CallInsert): Promise<CallRow | undefined> {
  const inserted = await tx
    .insert(callLeads)
    .values(values)
    .onConflictDoNothing({ target: callLeads.callSid })
    .returning();
  return inserted[0];
}

export async function updateCall(tx: DbOrTx, id: string, set: Partial<CallInsert>): Promise<CallRow | undefined> {
  const [row] = await tx.update(callLeads).set(set).where(eq(callLeads.id, id)).returning();
  return row;
}

export async function getDjPhone(tx: DbOrTx, djId: string): Promise<string | null | undefined> {
  const [dj] = await tx.select({ phone: djs.contactPhone }).from(djs).where(eq(djs.id, djId));
  return dj?.phone;
}

export async function getDjName(tx: DbOrTx, djId: string): Promise<string | undefined> {
  const [dj] = await tx.select({ name: djs.name }).from(djs).where(eq(djs.id, djId));
  return dj?.name;
}

/** Serialises ended calls of one DJ and caller until the transaction ends (pg_advisory_xact_lock). */
export async function lockCallerThread(tx: DbOrTx, djId: string, callerHash: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`call:${djId}:${callerHash}`}, 0))`);
}

/** The same caller's latest ended call to this DJ before `call` started. */
export async function getPriorCallOfCaller(
  tx: DbOrTx,
  call: Pick<CallRow, "id" | "djId" | "startedAt">,
  callerHash: string,
): Promise<CallRow | undefined> {
  const [last] = await tx
    .select()
    .from(callLeads)
    .where(
      and(
        eq(callLeads.djId, call.djId),
        eq(callLeads.callerHash, callerHash),
        ne(callLeads.id, call.id),
        isNotNull(callLeads.classification),
        lt(callLeads.startedAt, call.startedAt),
      ),
    )
    .orderBy(desc(callLeads.startedAt))
    .limit(1);
  return last;
}

/** Whether any call of the thread was billed. */
export async function isThreadBilled(tx: DbOrTx, threadId: string): Promise<boolean> {
  const [billed] = await tx
    .select({ id: callLeads.id })
    .from(callLeads)
    .where(and(eq(callLeads.threadId, threadId), eq(callLeads.billed, true)))
    .limit(1);
  return billed != null;
}

/** Leads offered to, won or converted by the DJ since `since` that have a phone, newest first (500). */
export function listDjLeadPhonesSince(tx: DbOrTx, djId: string, since: Date) {
  return tx
    .selectDistinct({
      id: marketLeads.id,
      phone: sql<string | null>`${marketLeads.contact}->>'phone'`,
      createdAt: marketLeads.createdAt,
    })
    .from(marketLeads)
    .leftJoin(leadAssignments, and(eq(leadAssignments.leadId, marketLeads.id), eq(leadAssignments.djId, djId)))
    .where(
      and(
        gte(marketLeads.createdAt, since),
        sql`${marketLeads.contact}->>'phone' is not null`,
        or(isNotNull(leadAssignments.id), eq(marketLeads.acceptedDjId, djId), eq(marketLeads.convertedDjId, djId)),
      ),
    )
    .orderBy(desc(marketLeads.createdAt))
    .limit(500);
}

/** The call locked for update; scoped to the DJ when one is given. */
export async function getCallForUpdate(tx: DbOrTx, callId: string, djId: string | null): Promise<CallRow | undefined> {
  const [call] = await tx
    .select()
    .from(callLeads)
    .where(djId ? and(eq(callLeads.id, callId), eq(callLeads.djId, djId)) : eq(callLeads.id, callId))
    .for("update");
  return call;
}

/** The marketplace lead if it was offered to (or won by) the DJ. */
export async function getLeadOfferedToDj(
  tx: DbOrTx,
  leadId: string,
  djId: string,
): Promise<{ id: string } | undefined> {
  const [lead] = await tx
    .select({ id: marketLeads.id })
    .from(marketLeads)
    .leftJoin(leadAssignments, and(eq(leadAssignments.leadId, marketLeads.id), eq(leadAssignments.djId, djId)))
    .where(and(eq(marketLeads.id, leadId), or(eq(leadAssignments.djId, djId), eq(marketLeads.acceptedDjId, djId))))
    .limit(1);
  return lead;
}

// ---- tracking numbers ----------------------------------------------------------------------

export async function getDjNameById(db: DbOrTx, djId: string): Promise<{ id: string; name: string } | undefined> {
  const [dj] = await db.select({ id: djs.id, name: djs.name }).from(djs).where(eq(djs.id, djId));
  return dj;
}

/**
 * One statement: the number is created for the DJ, or taken over only if it belongs to nobody
 * (or already to this DJ). undefined when another DJ has it.
 */
export async function upsertVirtualNumberForDj(
  db: DbOrTx,
  p: { number: string; djId: string; recordingEnabled: boolean; at: Date; userId: string | null },
) {
  const [row] = await db
    .insert(djVirtualNumbers)
    .values({
      number: p.number,
      djId: p.djId,
      recordingEnabled: p.recordingEnabled,
      assignedAt: p.at,
      assignedByUserId: p.userId,
    })
    .onConflictDoUpdate({
      target: djVirtualNumbers.number,
      set: {
        djId: p.djId,
        recordingEnabled: p.recordingEnabled,
        // A number coming back to its DJ keeps its assignment time and rotation counters.
        assignedAt: sql`case when ${djVirtualNumbers.djId} is null then excluded.assigned_at else ${djVirtualNumbers.assignedAt} end`,
        assignedByUserId: p.userId,
        servedCount: sql`case when ${djVirtualNumbers.djId} is null then 0 else ${djVirtualNumbers.servedCount} end`,
      },
      setWhere: or(isNull(djVirtualNumbers.djId), eq(djVirtualNumbers.djId, p.djId)),
    })
    .returning();
  return row;
}

/** The name of the DJ a number belongs to. */
export async function getVirtualNumberHolder(db: DbOrTx, number: string): Promise<string | undefined> {
  const [holder] = await db
    .select({ name: djs.name })
    .from(djVirtualNumbers)
    .innerJoin(djs, eq(djs.id, djVirtualNumbers.djId))
    .where(eq(djVirtualNumbers.number, number));
  return holder?.name;
}

/** Frees a number and resets its rotation; undefined when there is no such number. */
export async function clearVirtualNumber(db: DbOrTx, id: string) {
  const [row] = await db
    .update(djVirtualNumbers)
    .set({ djId: null, assignedAt: null, servedCount: 0, lastServedAt: null })
    .where(eq(djVirtualNumbers.id, id))
    .returning({ id: djVirtualNumbers.id, number: djVirtualNumbers.number });
  return row;
}

/** false when there is no such number. */
export async function setVirtualNumberRecording(db: DbOrTx, id: string, recordingEnabled: boolean): Promise<boolean> {
  const [row] = await db
    .update(djVirtualNumbers)
    .set({ recordingEnabled })
    .where(eq(djVirtualNumbers.id, id))
    .returning({ id: djVirtualNumbers.id });
  return row !== undefined;
}

/** Every number with its DJ, by DJ name then number (1000). */
export function listVirtualNumbersWithDj(db: DbOrTx) {
  return db
    .select({
      id: djVirtualNumbers.id,
      number: djVirtualNumbers.number,
      djId: djVirtualNumbers.djId,
      djName: djs.name,
      djCity: djs.city,
      recordingEnabled: djVirtualNumbers.recordingEnabled,
      assignedAt: djVirtualNumbers.assignedAt,
      servedCount: djVirtualNumbers.servedCount,
    })
    .from(djVirtualNumbers)
    .leftJoin(djs, eq(djs.id, djVirtualNumbers.djId))
    .orderBy(asc(djs.name), asc(djVirtualNumbers.number))
    .limit(1000);
}

export function listNumbersOfDj(db: DbOrTx, djId: string) {
  return db
    .select({
      id: djVirtualNumbers.id,
      number: djVirtualNumbers.number,
      recordingEnabled: djVirtualNumbers.recordingEnabled,
      servedCount: djVirtualNumbers.servedCount,
    })
    .from(djVirtualNumbers)
    .where(eq(djVirtualNumbers.djId, djId))
    .orderBy(asc(djVirtualNumbers.number));
}

/** The DJ's number pool, by number, locked for update while the next one is chosen. */
export function listNumberPoolForUpdate(tx: DbOrTx, djId: string) {
  return tx
    .select({ id: djVirtualNumbers.id, number: djVirtualNumbers.number, servedCount: djVirtualNumbers.servedCount })
    .from(djVirtualNumbers)
    .where(eq(djVirtualNumbers.djId, djId))
    .orderBy(asc(djVirtualNumbers.number))
    .for("update");
}

export async function markVirtualNumberServed(tx: DbOrTx, id: string, at: Date): Promise<void> {
  await tx
    .update(djVirtualNumbers)
    .set({ servedCount: sql`${djVirtualNumbers.servedCount} + 1`, lastServedAt: at })
    .where(and(eq(djVirtualNumbers.id, id)));
}

/** What anyone may see of an active, unsuspended DJ (never its phone or email). */
export async function getPublicDj(db: DbOrTx, djId: string) {
  const [dj] = await db
    .select({
      id: djs.id,
      name: djs.name,
      city: djs.city,
      state: djs.state,
      tier: djs.tier,
      priceMinCents: djs.priceMinCents,
      priceMaxCents: djs.priceMaxCents,
    })
    .from(djs)
    .where(and(eq(djs.id, djId), eq(djs.isActive, true), eq(djs.isSuspended, false)));
  return dj;
}

// ---- statistics ----------------------------------------------------------------------------

/** Which calls the statistics count: one DJ's, or all, since a moment. */
export type CallScope = { djId?: string; since: Date };

const callWhere = (c: CallScope): SQL | undefined =>
  c.djId ? and(eq(callLeads.djId, c.djId), gte(callLeads.startedAt, c.since)) : gte(callLeads.startedAt, c.since);

function totals(where: SQL | undefined, db: DbOrTx) {
  return db
    .select({
      // Calls that ended; "counted" leaves out the ignored ones (under the ignore threshold).
      calls: sql<number>`count(*) filter (where ${callLeads.classification} is not null)::int`,
      counted: sql<number>`count(*) filter (where ${callLeads.classification} in ('not_billable', 'billable'))::int`,
      ignored: sql<number>`count(*) filter (where ${callLeads.classification} = 'ignored')::int`,
      billable: sql<number>`count(*) filter (where ${callLeads.classification} = 'billable')::int`,
      billedLeads: sql<number>`count(*) filter (where ${callLeads.billed})::int`,
      attributed: sql<number>`count(*) filter (where ${callLeads.marketLeadId} is not null and ${callLeads.classification} in ('not_billable', 'billable'))::int`,
      converted: sql<number>`count(*) filter (where ${callLeads.convertedAt} is not null)::int`,
      bookingValueCents: sql<number>`coalesce(sum(${callLeads.bookingValueCents}) filter (where ${callLeads.convertedAt} is not null), 0)::bigint::float8`,
      repeatCalls: sql<number>`count(*) filter (where ${callLeads.repeatOfCallId} is not null)::int`,
      avgDurationSec: sql<
        number | null
      >`round(avg(${callLeads.durationSec}) filter (where ${callLeads.classification} in ('not_billable', 'billable')))::float8`,
    })
    .from(callLeads)
    .where(where)
    .then((r) => r[0]!);
}

function byDay(where: SQL | undefined, db: DbOrTx) {
  const day = sql<string>`to_char(${callLeads.startedAt} at time zone 'UTC', 'YYYY-MM-DD')`;
  return db
    .select({
      day,
      calls: sql<number>`count(*) filter (where ${callLeads.classification} is not null)::int`,
      billable: sql<number>`count(*) filter (where ${callLeads.classification} = 'billable')::int`,
      attributed: sql<number>`count(*) filter (where ${callLeads.marketLeadId} is not null and ${callLeads.classification} in ('not_billable', 'billable'))::int`,
    })
    .from(callLeads)
    .where(where)
    .groupBy(day)
    .orderBy(day);
}

/** Totals over the calls in scope. */
export function getCallTotals(db: DbOrTx, c: CallScope) {
  return totals(callWhere(c), db);
}

/** Per UTC day over the calls in scope. */
export function listCallsByDay(db: DbOrTx, c: CallScope) {
  return byDay(callWhere(c), db);
}

/** A DJ's recent calls with the lead each is linked to, newest first. */
export async function listCallsOfDj(db: DbOrTx, djId: string, limit: number) {
  const rows = await db
    .select({
      id: callLeads.id,
      startedAt: callLeads.startedAt,
      toNumber: callLeads.toNumber,
      status: callLeads.status,
      durationSec: callLeads.durationSec,
      classification: callLeads.classification,
      billed: callLeads.billed,
      repeat: sql<boolean>`${callLeads.repeatOfCallId} is not null`,
      callerHash: callLeads.callerHash,
      callerState: callLeads.callerState,
      attributionReason: callLeads.attributionReason,
      marketLeadId: callLeads.marketLeadId,
      leadEventType: marketLeads.eventType,
      leadEventDate: marketLeads.eventDate,
      consentMode: callLeads.consentMode,
      recordingAllowed: callLeads.recordingAllowed,
      recordingReason: callLeads.recordingReason,
      hasRecording: sql<boolean>`${callLeads.recordingUrl} is not null`,
      recordingUrl: callLeads.recordingUrl,
      convertedAt: callLeads.convertedAt,
      bookingRef: callLeads.bookingRef,
      bookingValueCents: callLeads.bookingValueCents,
    })
    .from(callLeads)
    .leftJoin(marketLeads, eq(marketLeads.id, callLeads.marketLeadId))
    .where(eq(callLeads.djId, djId))
    .orderBy(desc(callLeads.startedAt), desc(callLeads.id))
    .limit(limit);
  return rows;
}

/** Per DJ over the calls in scope, busiest first (50). */
export function listCallStatsPerDj(db: DbOrTx, c: CallScope) {
  const where = callWhere(c);
  return db
    .select({
      djId: djs.id,
      djName: djs.name,
      city: djs.city,
      counted: sql<number>`count(*) filter (where ${callLeads.classification} in ('not_billable', 'billable'))::int`,
      billable: sql<number>`count(*) filter (where ${callLeads.classification} = 'billable')::int`,
      attributed: sql<number>`count(*) filter (where ${callLeads.marketLeadId} is not null and ${callLeads.classification} in ('not_billable', 'billable'))::int`,
      converted: sql<number>`count(*) filter (where ${callLeads.convertedAt} is not null)::int`,
      bookingValueCents: sql<number>`coalesce(sum(${callLeads.bookingValueCents}), 0)::bigint::float8`,
    })
    .from(callLeads)
    .innerJoin(djs, eq(djs.id, callLeads.djId))
    .where(where)
    .groupBy(djs.id, djs.name, djs.city)
    .orderBy(desc(sql`count(*)`), djs.name)
    .limit(50);
}
