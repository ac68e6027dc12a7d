// A DJ's own settings: calendar and price range, validated here as well as by zod so a bad
// request from any caller changes nothing.
import { listDjCalendar, updateDjPriceRange, upsertDjAvailabilityStatus, type Db } from "@leadflow/db";
import type { AvailabilityStatus, Clock } from "@leadflow/engine";
import { AppError } from "../errors";
import { updateDJRoutingScore } from "./routing-score";

export async function setAvailability(
  db: Db,
  clock: Clock,
  input: { djId: string; date: string; status: AvailabilityStatus },
) {
  const today = clock.now().toISOString().slice(0, 10);
  if (input.date < today)
    throw new AppError("BAD_REQUEST", "Choose today or a later date.", { date: ["Choose today or a later date."] });
  // A date locked for an offer keeps its lock; the DJ's status still decides future offers. A date
  // held for a couple the DJ quoted cannot be booked or blocked here: it frees itself when the
  // couple books someone or the lead closes, and a booking marks it booked.
  const written = await upsertDjAvailabilityStatus(db, {
    djId: input.djId,
    date: input.date,
    status: input.status,
    now: clock.now(),
  });
  if (!written)
    throw new AppError(
      "CONFLICT",
      "This date is held for a couple you quoted. It frees itself when they book someone or the inquiry closes; if they book you, it is marked booked.",
    );
}

/** The DJ's calendar from today: marked dates, dates locked for an open offer, dates held for a quote. */
export async function listAvailability(db: Db, clock: Clock, djId: string) {
  const today = clock.now().toISOString().slice(0, 10);
  const rows = await listDjCalendar(db, djId, today);
  return rows.map((r) => ({
    date: r.date,
    status: r.status,
    lockedUntil: r.lockedUntil,
    held: r.heldByLeadId != null,
    heldAt: r.heldAt,
  }));
}

export async function setPriceRange(
  db: Db,
  clock: Clock,
  input: { djId: string; priceMinCents: number; priceMaxCents: number },
) {
  if (input.priceMinCents > input.priceMaxCents) {
    throw new AppError("BAD_REQUEST", "The lowest price is above the highest.", {
      priceMinCents: ["The lowest price must not be above the highest."],
    });
  }
  await db.transaction(async (tx) => {
    const dj = await updateDjPriceRange(tx, input.djId, input);
    if (!dj) throw new AppError("NOT_FOUND", "That DJ does not exist.");
    await updateDJRoutingScore(tx, clock, dj);
  });
}
