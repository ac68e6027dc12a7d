// Virtual (tracking) numbers: an admin assigns them to DJs; customers are shown one of the DJ's
// numbers in rotation, never the DJ's own phone.
import { djs, djVirtualNumbers, type Db, type DbOrTx } from "@leadflow/db";
import { isE164, nextVirtualNumber, type Clock } from "@leadflow/engine";
import { and, asc, eq, isNull, or, sql } from "drizzle-orm";
import { AppError } from "../errors";
import type { MarketServices } from "../marketplace/common";

function requireE164(number: string): string {
  const n = number.trim();
  if (!isE164(n)) {
    const msg = "Enter the number in E.164 form: a plus sign, the country code and the number, digits only (e.g. +19015550100).";
    throw new AppError("BAD_REQUEST", msg, { number: [msg] });
  }
  return n;
}

/**
 * Gives a number to a DJ. One statement decides it: the row is created, or taken over only if it
 * belongs to nobody (or already to this DJ), so of two admins racing for one number exactly one
 * wins and the other is told who has it.
 */
export async function assignVirtualNumber(
  s: Pick<MarketServices, "db" | "clock" | "log">,
  input: { number: string; djId: string; recordingEnabled?: boolean; userId: string | null },
) {
  const number = requireE164(input.number);
  const [dj] = await s.db.select({ id: djs.id, name: djs.name }).from(djs).where(eq(djs.id, input.djId));
  if (!dj) throw new AppError("NOT_FOUND", "That DJ does not exist.");
  const now = s.clock.now();
  const recordingEnabled = input.recordingEnabled ?? false;
  const [row] = await s.db
    .insert(djVirtualNumbers)
    .values({ number, djId: dj.id, recordingEnabled, assignedAt: now, assignedByUserId: input.userId })
    .onConflictDoUpdate({
      target: djVirtualNumbers.number,
      set: {
        djId: dj.id,
        recordingEnabled,
        // A number coming back to its DJ keeps its assignment time and rotation counters.
        assignedAt: sql`case when ${djVirtualNumbers.djId} is null then excluded.assigned_at else ${djVirtualNumbers.assignedAt} end`,
        assignedByUserId: input.userId,
        servedCount: sql`case when ${djVirtualNumbers.djId} is null then 0 else ${djVirtualNumbers.servedCount} end`,
      },
      setWhere: or(isNull(djVirtualNumbers.djId), eq(djVirtualNumbers.djId, dj.id)),
    })
    .returning();
  if (!row) {
    const [holder] = await s.db
      .select({ name: djs.name })
      .from(djVirtualNumbers)
      .innerJoin(djs, eq(djs.id, djVirtualNumbers.djId))
      .where(eq(djVirtualNumbers.number, number));
    throw new AppError("CONFLICT", `${number} already belongs to ${holder?.name ?? "another DJ"}. Unassign it there first.`, {
      number: ["This number belongs to another DJ."],
    });
  }
  s.log.info({ number: row.number, djId: dj.id, userId: input.userId }, "virtual number assigned");
  return row;
}

/** Frees a number; its past calls keep their DJ. */
export async function unassignVirtualNumber(s: Pick<MarketServices, "db" | "log">, input: { numberId: string }) {
  const [row] = await s.db
    .update(djVirtualNumbers)
    .set({ djId: null, assignedAt: null, servedCount: 0, lastServedAt: null })
    .where(eq(djVirtualNumbers.id, input.numberId))
    .returning({ id: djVirtualNumbers.id, number: djVirtualNumbers.number });
  if (!row) throw new AppError("NOT_FOUND", "That number does not exist.");
  s.log.info({ number: row.number }, "virtual number unassigned");
  return row;
}

export async function setNumberRecording(db: Db, input: { numberId: string; recordingEnabled: boolean }) {
  const [row] = await db
    .update(djVirtualNumbers)
    .set({ recordingEnabled: input.recordingEnabled })
    .where(eq(djVirtualNumbers.id, input.numberId))
    .returning({ id: djVirtualNumbers.id });
  if (!row) throw new AppError("NOT_FOUND", "That number does not exist.");
}

export async function listVirtualNumbers(db: Db) {
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

export async function numbersOfDj(db: DbOrTx, djId: string) {
  return db
    .select({ id: djVirtualNumbers.id, number: djVirtualNumbers.number, recordingEnabled: djVirtualNumbers.recordingEnabled, servedCount: djVirtualNumbers.servedCount })
    .from(djVirtualNumbers)
    .where(eq(djVirtualNumbers.djId, djId))
    .orderBy(asc(djVirtualNumbers.number));
}

/**
 * The number to show a customer for this DJ, rotating through the DJ's pool (ordered by number);
 * null when the DJ has none. The pool's rows are locked while the next one is chosen, so
 * concurrent page views still go round in order.
 */
export async function getVirtualNumberForDJ(db: Db, clock: Clock, djId: string): Promise<string | null> {
  return db.transaction(async (tx) => {
    const pool = await tx
      .select({ id: djVirtualNumbers.id, number: djVirtualNumbers.number, servedCount: djVirtualNumbers.servedCount })
      .from(djVirtualNumbers)
      .where(eq(djVirtualNumbers.djId, djId))
      .orderBy(asc(djVirtualNumbers.number))
      .for("update");
    const served = pool.reduce((a, r) => a + r.servedCount, 0);
    const next = nextVirtualNumber(
      pool.map((r) => r.number),
      served > 0 ? (served - 1) % pool.length : null,
    );
    if (!next) return null;
    await tx
      .update(djVirtualNumbers)
      .set({ servedCount: sql`${djVirtualNumbers.servedCount} + 1`, lastServedAt: clock.now() })
      .where(and(eq(djVirtualNumbers.id, pool[next.index]!.id)));
    return next.number;
  });
}

/**
 * What anyone may see of a DJ: name, city, tier, price range and a tracking number from the
 * rotation. Never the DJ's own phone or email; inactive or suspended DJs are not found.
 */
export async function publicDjProfile(db: Db, clock: Clock, djId: string) {
  const [dj] = await db
    .select({ id: djs.id, name: djs.name, city: djs.city, state: djs.state, tier: djs.tier, priceMinCents: djs.priceMinCents, priceMaxCents: djs.priceMaxCents })
    .from(djs)
    .where(and(eq(djs.id, djId), eq(djs.isActive, true), eq(djs.isSuspended, false)));
  if (!dj) throw new AppError("NOT_FOUND", "We couldn't find that DJ. They may no longer take bookings here.");
  return { ...dj, trackingNumber: await getVirtualNumberForDJ(db, clock, dj.id) };
}
