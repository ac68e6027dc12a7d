// The seller portal's inputs: the leads filter (the same for the page and its CSV export), a page
// of leads, one lead, one month of the statement. Browser-safe (zod and the engine only).
import { LEAD_STATUSES } from "@leadflow/engine";
import { z } from "zod";

/** A query string sends "" for an empty field: it means "no filter". */
const blankless = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), schema.optional());

/** A day of the seller's own time zone (seller_sources.time_zone). */
const localDay = z.iso.date("A day as YYYY-MM-DD.");

export const sellerLeadFilterInput = z
  .object({
    status: blankless(z.enum(LEAD_STATUSES, "Pick a status from the list.")),
    vertical: blankless(z.string().trim().max(64, "At most 64 characters.")),
    /** Received on or after this day of the seller's zone. */
    from: blankless(localDay),
    /** Received on or before this day of the seller's zone (inclusive). */
    to: blankless(localDay),
    externalId: blankless(z.string().trim().max(200, "At most 200 characters.")),
    /** A lead id, phone, email, name or part of an external id. */
    q: blankless(z.string().trim().max(200, "At most 200 characters.")),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, {
    path: ["to"],
    message: "The last day is before the first.",
  });
export type SellerLeadFilterInput = z.output<typeof sellerLeadFilterInput>;

export const sellerLeadsPageInput = z
  .object({
    filter: sellerLeadFilterInput.prefault({}),
    limit: z.number().int().min(1).max(100).default(25),
    cursor: z.string().max(100).nullish(),
  })
  .prefault({});

export const sellerLeadInput = z.object({ id: z.uuid("That is not a lead id.") });

export const statementMonthInput = z.object({
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "A month as YYYY-MM."),
});
