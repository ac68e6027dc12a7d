// Read-only auction views beyond the leads router: a buyer's own pings, bids, wins and lost
// reasons, and the admin's lost-reason analytics. Scoped by role and organisation.
import { isValidTimeZone } from "@leadflow/engine";
import { z } from "zod";
import { buyerActivity, buyerSummary, lostReasons } from "../buyers/insights";
import { AppError } from "../errors";
import { adminProcedure, roleProcedure, router } from "../trpc";

const DAY = 86_400_000;
const buyerRole = roleProcedure("admin", "contractor", "network");
const scope = (u: { role: string; orgId: string }) => (u.role === "admin" ? null : u.orgId);

const rangeInput = z
  .object({
    from: z.coerce.date().optional(),
    to: z.coerce.date().optional(),
    days: z.number().int().min(1).max(366).default(7),
  })
  .prefault({});

function rangeOf(now: Date, q: { from?: Date | undefined; to?: Date | undefined; days: number }) {
  const to = q.to ?? now;
  const from = q.from ?? new Date(to.getTime() - q.days * DAY);
  if (from >= to)
    throw new AppError("BAD_REQUEST", "The start of the range must be before its end.", {
      from: ["Must be before the end."],
    });
  if (to.getTime() - from.getTime() > 366 * DAY)
    throw new AppError("BAD_REQUEST", "Ask for at most a year at a time.", { from: ["At most a year."] });
  return { from, to };
}

export const auctionInsightsRouter = router({
  activity: buyerRole
    .input(
      z
        .object({
          limit: z.number().int().min(1).max(200).default(50),
          before: z.coerce.date().optional(),
          buyerId: z.uuid().optional(),
        })
        .prefault({}),
    )
    .query(({ ctx, input }) => buyerActivity(ctx.db, scope(ctx.user), input)),
  summary: buyerRole
    .input(rangeInput)
    .query(({ ctx, input }) => buyerSummary(ctx.db, scope(ctx.user), rangeOf(ctx.clock.now(), input))),
  lostReasons: adminProcedure
    .input(
      z
        .object({
          from: z.coerce.date().optional(),
          to: z.coerce.date().optional(),
          days: z.number().int().min(1).max(366).default(7),
          bucket: z.enum(["hour", "day"]).default("day"),
          timeZone: z.string().refine(isValidTimeZone, "Unknown time zone.").default("UTC"),
        })
        .prefault({}),
    )
    .query(({ ctx, input }) => lostReasons(ctx.db, rangeOf(ctx.clock.now(), input), input.bucket, input.timeZone)),
});
