// Virtual (tracking) numbers: an admin assigns them to DJs; customers are shown one of the DJ's
// numbers in rotation, never the DJ's own phone.
import {
  clearVirtualNumber,
  getDjNameById,
  getPublicDj,
  getVirtualNumberHolder,
  listNumberPoolForUpdate,
  listNumbersOfDj,
  listVirtualNumbersWithDj,
  markVirtualNumberServed,
  setVirtualNumberRecording,
  upsertVirtualNumberForDj,
  type Db,
  type DbOrTx,
} from "@leadflow/db";
import { isE164, nextVirtualNumber, type Clock } from "@leadflow/engine";
import { AppError } from "../errors";
import type { MarketServices } from "../marketplace/common";

function requireE164(number: string): string {
  const n = number.trim();
  if (!isE164(n)) {
    const msg =
      "Enter the number in E.164 form: a plus sign, the country code and the number, digits only (e.g. +19015550100).";
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
  const dj = await getDjNameById(s.db, input.djId);
  if (!dj) throw new AppError("NOT_FOUND", "That DJ does not exist.");
  const now = s.clock.now();
  const recordingEnabled = input.recordingEnabled ?? false;
  const row = await upsertVirtualNumberForDj(s.db, {
    number,
    djId: dj.id,
    recordingEnabled,
    at: now,
    userId: input.userId,
  });
  if (!row) {
    const holder = await getVirtualNumberHolder(s.db, number);
    throw new AppError("CONFLICT", `${number} already belongs to ${holder ?? "another DJ"}. Unassign it there first.`, {
      number: ["This number belongs to another DJ."],
    });
  }
  s.log.info({ number: row.number, djId: dj.id, userId: input.userId }, "virtual number assigned");
  return row;
}

/** Frees a number; its past calls keep their DJ. */
export async function unassignVirtualNumber(s: Pick<MarketServices, "db" | "log">, input: { numberId: string }) {
  const row = await clearVirtualNumber(s.db, input.numberId);
  if (!row) throw new AppError("NOT_FOUND", "That number does not exist.");
  s.log.info({ number: row.number }, "virtual number unassigned");
  return row;
}

export async function setNumberRecording(db: Db, input: { numberId: string; recordingEnabled: boolean }) {
  if (!(await setVirtualNumberRecording(db, input.numberId, input.recordingEnabled)))
    throw new AppError("NOT_FOUND", "That number does not exist.");
}

export async function listVirtualNumbers(db: Db) {
  return listVirtualNumbersWithDj(db);
}

export async function numbersOfDj(db: DbOrTx, djId: string) {
  return listNumbersOfDj(db, djId);
}

/**
 * The number to show a customer for this DJ, rotating through the DJ's pool (ordered by number);
 * null when the DJ has none. The pool's rows are locked while the next one is chosen, so
 * concurrent page views still go round in order.
 */
export async function getVirtualNumberForDJ(db: Db, clock: Clock, djId: string): Promise<string | null> {
  return db.transaction(async (tx) => {
    const pool = await listNumberPoolForUpdate(tx, djId);
    const served = pool.reduce((a, r) => a + r.servedCount, 0);
    const next = nextVirtualNumber(
      pool.map((r) => r.number),
      served > 0 ? (served - 1) % pool.length : null,
    );
    if (!next) return null;
    await markVirtualNumberServed(tx, pool[next.index]!.id, clock.now());
    return next.number;
  });
}

/**
 * What anyone may see of a DJ: name, city, tier, price range and a tracking number from the
 * rotation. Never the DJ's own phone or email; inactive or suspended DJs are not found.
 */
export async function publicDjProfile(db: Db, clock: Clock, djId: string) {
  const dj = await getPublicDj(db, djId);
  if (!dj) throw new AppError("NOT_FOUND", "We couldn't find that DJ. They may no longer take bookings here.");
  return { ...dj, trackingNumber: await getVirtualNumberForDJ(db, clock, dj.id) };
}
