// Lead intake: the one schema every source (REST, dashboard) goes through, and the write that
// records a lead. A bad body is refused whole with field errors before anything is written.
import { getLeadIdByExternalId, insertLeadWithIntake, type InsertLeadParams, type LeadContact } from "@leadflow/db";
import { z } from "zod";
import { validateContact } from "../compliance/validation";
import type { Services } from "../context";
import { personHashKey } from "../compliance/suppression/person";
import { leadKeyedHashes } from "../compliance/suppression/screen";
import { AppError } from "../errors";
import type { StartedLead } from "./run-auction";

const trimmed = (max: number) => z.string().trim().min(1).max(max);

/** US phone → 10 digits (a leading country code 1 dropped); anything else → null. */
export function normalizePhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  const d = phone.replace(/\D/g, "");
  const ten = d.length === 11 && d.startsWith("1") ? d.slice(1) : d;
  return ten.length === 10 ? ten : null;
}

export function normalizeEmail(email: string | null | undefined): string | null {
  const e = email?.trim().toLowerCase();
  return e ? e : null;
}

const customValue = z.union([z.string().max(2000), z.number().finite(), z.boolean(), z.null()]);

export const leadIntakeSchema = z
  .strictObject({
    vertical: trimmed(64).transform((v) => v.toLowerCase()),
    zip: z
      .string()
      .trim()
      .regex(/^\d{5}(-?\d{4})?$/, "zip must be a 5-digit US zip code (ZIP+4 allowed)")
      .transform((z5) => z5.slice(0, 5)),
    state: z
      .string()
      .trim()
      .regex(/^[A-Za-z]{2}$/, "state must be a 2-letter code such as TX")
      .transform((s) => s.toUpperCase())
      .optional(),
    contact: z.strictObject({
      firstName: trimmed(100),
      lastName: trimmed(100),
      email: z.email("email is not a valid address").max(254).optional(),
      phone: z
        .string()
        .trim()
        .refine((p) => normalizePhone(p) !== null, "phone must be a 10-digit US number")
        .optional(),
      address: trimmed(300).optional(),
      city: trimmed(100).optional(),
    }),
    consent: z
      .strictObject({
        trustedFormCertUrl: z
          .url({ protocol: /^https$/, error: "trustedFormCertUrl must be an https URL" })
          .max(500)
          .optional(),
        jornayaLeadId: z
          .string()
          .trim()
          .regex(/^[A-Za-z0-9-]{8,64}$/, "jornayaLeadId must be 8-64 letters, digits or dashes")
          .optional(),
      })
      .default({}),
    customFields: z
      .record(
        z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, "custom field names are 1-64 of A-Z a-z 0-9 _ . -"),
        customValue,
      )
      .refine((r) => Object.keys(r).length <= 50, "at most 50 custom fields")
      .default({}),
    externalId: trimmed(128).optional(),
    /** Wait for the auction and answer with its outcome (REST also accepts ?wait=1). */
    wait: z.boolean().optional(),
  })
  .refine((b) => Boolean(b.contact.email || b.contact.phone), {
    message: "a lead needs a phone or an email",
    path: ["contact", "phone"],
  });

export type LeadIntake = z.output<typeof leadIntakeSchema>;

/** zod issues → { "contact.phone": [...] }, the shape forms and API clients read. */
export function fieldErrorsOf(err: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const i of err.issues) {
    const key = i.path.map(String).join(".") || "(body)";
    (out[key] ??= []).push(i.message);
  }
  return out;
}

export function parseIntake(body: unknown): LeadIntake {
  const r = leadIntakeSchema.safeParse(body);
  if (!r.success) throw new AppError("BAD_REQUEST", "The lead is not valid; see fieldErrors.", fieldErrorsOf(r.error));
  return r.data;
}

export interface CreatedLead {
  id: string;
  /** false when externalId matched a lead this seller already sent. */
  created: boolean;
  /** With { start: true }, a new lead is written already PROCESSING, ready for runAuction. */
  started?: StartedLead;
  /**
   * With { claim }: false when the ping could not be claimed (used, expired, not this seller's or
   * not accepted; or the vertical is inactive, or the externalId is taken), and nothing was written.
   */
  claimed?: boolean;
}

/** The refusal of a lead (or post) naming an unknown or inactive vertical. */
export function unknownVertical(vertical: string): AppError {
  return new AppError("BAD_REQUEST", "The lead is not valid; see fieldErrors.", {
    vertical: [`unknown or inactive vertical "${vertical}"`],
  });
}

/**
 * Writes the lead (RECEIVED) and its intake event in one transaction. `deferFsync`: a synchronous
 * commit always follows before anyone is told the lead was taken (the queue job's, or the
 * auction's sale/finalize when the source waits), and it makes this one durable too, so this
 * commit need not wait for the disk (commit.ts).
 */
export async function createLead(
  s: Services,
  sellerOrgId: string,
  input: LeadIntake,
  opts: { deferFsync?: boolean; start?: boolean; id?: string; claim?: InsertLeadParams["claim"]; at?: Date } = {},
): Promise<CreatedLead> {
  const at = opts.at ?? s.clock.now();
  const phone = normalizePhone(input.contact.phone);
  const email = normalizeEmail(input.contact.email);
  const start = opts.start === true;
  const contact: LeadContact = { ...input.contact };
  const validation = validateContact(input.contact);
  const intake = {
    vertical: input.vertical,
    zip: input.zip,
    externalId: input.externalId ?? null,
    consent: input.consent,
    validation,
  };
  // One statement, so one round trip and its own transaction: the vertical check, the lead and its
  // intake event. Nothing is written unless the vertical exists and is active; a resubmitted
  // externalId conflicts and writes nothing either. With `start` the lead is written PROCESSING
  // (its auction runs right after, in this process) and the statement also reads what starting
  // it would (run-auction.ts): the buyer configuration's version and who bought this person.
  const key = phone || email ? await personHashKey(s) : null;
  const hashes = key ? leadKeyedHashes(key, { phoneNormalized: phone, emailNormalized: email }) : null;
  // A lead started here is screened by the same statement (db screenHitsSql; screen.ts uses it).
  const r = await insertLeadWithIntake(s.db, {
    sellerOrgId,
    externalId: input.externalId ?? null,
    vertical: input.vertical,
    zip: input.zip,
    state: input.state ?? null,
    contact,
    phone,
    email,
    phoneHash: hashes?.phoneHash ?? null,
    emailHash: hashes?.emailHash ?? null,
    consent: input.consent,
    validation,
    customFields: input.customFields,
    intake,
    at,
    deferFsync: opts.deferFsync === true,
    start,
    owner: s.lease?.owner ?? null,
    id: opts.id ?? null,
    claim: opts.claim ?? null,
  });
  // A post whose ping was not claimed wrote nothing; the caller finds out why.
  if (opts.claim && r && r.claimed === 0) return { id: opts.id ?? "", created: false, claimed: false };
  if (!r || r.vertical_ok === 0) throw unknownVertical(input.vertical);
  if (r.id && start) {
    const lead = {
      id: r.id,
      vertical: input.vertical,
      zip: input.zip,
      state: input.state ?? null,
      customFields: input.customFields,
      contact,
      consent: input.consent,
      receivedAt: at,
      phoneNormalized: phone,
      emailNormalized: email,
      validation,
    };
    return {
      id: r.id,
      created: true,
      started: {
        lead,
        attempt: 1,
        configVersion: Number(r.config_version ?? 0),
        bought: r.bought ?? {},
        screen: r.screen,
        balances: r.balances ?? undefined,
      },
      ...(opts.claim ? { claimed: true } : {}),
    };
  }
  if (r.id) return { id: r.id, created: true };
  // Only the (seller, externalId) unique index can conflict: this is a resubmit.
  const old = await getLeadIdByExternalId(s.db, sellerOrgId, input.externalId ?? "");
  if (!old) throw new AppError("CONFLICT", "That lead could not be stored; try again.");
  return { id: old, created: false };
}
