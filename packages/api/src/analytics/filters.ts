// The analytics filters: a range of whole UTC days (at most MAX_DAYS), and optionally one known
// vertical and one known buyer. Zod checks the shape; resolveFilters checks the ids exist.
import { isKnownBuyer, isKnownVertical, type DbOrTx } from "@leadflow/db";
import { z } from "zod";
import { AppError } from "../errors";
import { addDays, dayOf } from "./rollup";

export const MAX_DAYS = 366;
export const DEFAULT_DAYS = 30;

const isoDay = z.iso.date({ error: "Use a date like 2026-03-01." });

export const analyticsFilterInput = z
  .object({
    from: isoDay.optional(),
    to: isoDay.optional(),
    vertical: z.string().trim().min(1).max(64).optional(),
    buyerId: z.uuid({ error: "Pick a buyer from the list." }).optional(),
  })
  .prefault({});
export type AnalyticsFilterInput = z.infer<typeof analyticsFilterInput>;

export interface Filters {
  /** First UTC day, inclusive. */
  from: string;
  /** Last UTC day, inclusive. */
  to: string;
  /** The day after `to`: queries run on [from, toExclusive). */
  toExclusive: string;
  days: number;
  vertical?: string | undefined;
  buyerId?: string | undefined;
}

const span = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;

/** Defaults (the last DEFAULT_DAYS days to today), then the range rules, then the ids. */
export async function resolveFilters(db: DbOrTx, now: Date, input: AnalyticsFilterInput): Promise<Filters> {
  const to = input.to ?? dayOf(now);
  const from = input.from ?? addDays(to, -(DEFAULT_DAYS - 1));
  if (from > to)
    throw new AppError("BAD_REQUEST", "The first day must not be after the last day.", {
      from: ["Must not be after the last day."],
    });
  const days = span(from, to);
  if (days > MAX_DAYS)
    throw new AppError("BAD_REQUEST", `Ask for at most ${MAX_DAYS} days at a time.`, {
      from: [`At most ${MAX_DAYS} days.`],
    });
  if (input.vertical) {
    if (!(await isKnownVertical(db, input.vertical)))
      throw new AppError("BAD_REQUEST", `There is no vertical "${input.vertical}". Pick one from the list.`, {
        vertical: ["Unknown vertical."],
      });
  }
  if (input.buyerId) {
    if (!(await isKnownBuyer(db, input.buyerId)))
      throw new AppError("BAD_REQUEST", "That buyer does not exist. Pick one from the list.", {
        buyerId: ["Unknown buyer."],
      });
  }
  return { from, to, toExclusive: addDays(to, 1), days, vertical: input.vertical, buyerId: input.buyerId };
}
