// The marketplace's public face: price guidance, the inquiry form and the customer's comparison
// page. No login; everything validated here; rate-limited per address at the HTTP layer
// (apps/server/src/rate-limits.ts).
import { EVENT_TYPES } from "@leadflow/engine";
import { z } from "zod";
import {
  chooseDJ,
  COMPARE_TOKEN,
  coupleSendMessage,
  coupleComparison,
  marketCities,
  priceGuidanceFor,
  processMultiDJInquiry,
} from "../marketplace";
import { inquiryConsentInput, recordInquiryConsent } from "../compliance/inquiry-consent";
import { countFunnel } from "../marketplace/funnel";
import { publicProcedure, router } from "../trpc";

const city = z.string().trim().min(2, "Enter a city.").max(80);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .nullable()
    .transform((v) => (v ? v : null));
const dollars = z.number().int("Whole dollars, please.").min(0, "Enter zero or more.").max(1_000_000);

export const inquiryInput = z
  .object({
    name: z.string().trim().min(2, "Tell us your name.").max(120),
    // Required: the couple's comparison link and each new quote are emailed to it.
    email: z.email("Enter a valid email address so we can send you your quotes.").max(200),
    phone: z
      .string()
      .trim()
      .regex(/^[+\d][\d\s().-]{6,24}$/, "Enter a phone number with digits only.")
      .optional()
      .nullable()
      .or(z.literal("").transform(() => null)),
    city,
    state: optionalText(2),
    eventType: z.enum(EVENT_TYPES, "Choose one of the listed event types."),
    eventDate: z.iso.date("Enter the event date."),
    budgetMinDollars: dollars.optional().nullable(),
    budgetMaxDollars: dollars.optional().nullable(),
    guestCount: z.number().int().min(1).max(100_000).optional().nullable(),
    venueName: optionalText(200),
    startTime: optionalText(20),
    durationHours: z.number().int().min(1).max(24).optional().nullable(),
    musicPreferences: optionalText(500),
    notes: optionalText(2000),
    fromCalculator: z.boolean().optional(),
    /** The consent block's record (docs/compliance.md); the form always sends it. */
    consent: inquiryConsentInput.optional(),
  })
  .refine((v) => v.budgetMinDollars == null || v.budgetMaxDollars == null || v.budgetMinDollars <= v.budgetMaxDollars, {
    message: "The lowest budget must not be above the highest.",
    path: ["budgetMinDollars"],
  });

const token = z.string().regex(COMPARE_TOKEN, "That link is not valid.");
export const messageBody = z
  .string()
  .trim()
  .min(1, "Write a message first.")
  .max(2000, "Keep a message under 2,000 characters.");

const toCents = (d: number | null | undefined) => (d == null ? null : d * 100);

export const marketPublicRouter = router({
  cities: publicProcedure.query(({ ctx }) => marketCities(ctx.db)),
  priceGuidance: publicProcedure
    .input(z.object({ city, eventType: z.enum(EVENT_TYPES).nullable().optional() }))
    .query(({ ctx, input }) => priceGuidanceFor(ctx.db, input.city, input.eventType ?? null)),
  /** Counted once per visit by the page, for the calculator → inquiry funnel. */
  calculatorViewed: publicProcedure.input(z.object({ city })).mutation(async ({ ctx, input }) => {
    await countFunnel(ctx.db, ctx.clock.now(), input.city, "calculator_view");
    return { ok: true };
  }),
  inquire: publicProcedure.input(inquiryInput).mutation(async ({ ctx, input }) => {
    const { budgetMinDollars, budgetMaxDollars, consent, ...rest } = input;
    const res = await processMultiDJInquiry(ctx, {
      ...rest,
      budgetMinCents: toCents(budgetMinDollars),
      budgetMaxCents: toCents(budgetMaxDollars),
    });
    if (consent) await recordInquiryConsent(ctx, res.leadId, consent);
    return { token: res.token, comparisonPath: `/compare/${res.token}` };
  }),
  /** The couple's page: the quotes, which DJ they booked (if any) and their messages with each DJ. */
  comparison: publicProcedure.input(z.object({ token })).query(({ ctx, input }) => coupleComparison(ctx, input.token)),
  /** The couple books one of the DJs who quoted; twice or concurrently books once. */
  choose: publicProcedure
    .input(z.object({ token, djId: z.uuid("Choose one of the DJs who quoted.") }))
    .mutation(({ ctx, input }) => chooseDJ(ctx, input)),
  /** The couple writes to a DJ who quoted; contact details are hidden until unlocked or booked. */
  sendMessage: publicProcedure
    .input(z.object({ token, djId: z.uuid("Choose one of the DJs who quoted."), body: messageBody }))
    .mutation(({ ctx, input }) => coupleSendMessage(ctx, input)),
});
