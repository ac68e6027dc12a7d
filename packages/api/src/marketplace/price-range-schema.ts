// A DJ's price range as marketDj.setPriceRange takes it; browser-safe, so the dashboard's form
// checks with the very same rules before it sends (forms.ts).
import { z } from "zod";

export const priceRangeSchema = z.object({
  priceMinDollars: z.number().int("Whole dollars, please.").min(50, "At least $50.").max(100_000, "At most $100,000."),
  priceMaxDollars: z.number().int("Whole dollars, please.").min(50, "At least $50.").max(100_000, "At most $100,000."),
});

/** The rule across the two fields (the service checks it again, dj-profile.ts). */
export const priceRangeProblems = (v: z.infer<typeof priceRangeSchema>) =>
  typeof v.priceMinDollars === "number" &&
  typeof v.priceMaxDollars === "number" &&
  v.priceMinDollars > v.priceMaxDollars
    ? [{ path: ["priceMinDollars"], message: "The lowest price must not be above the highest." }]
    : [];
