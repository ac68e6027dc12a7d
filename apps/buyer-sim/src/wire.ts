import { z } from "zod";

// What LeadFlow sends to a network buyer. Loose objects: a real buyer ignores fields it does
// not know, and the sim should not break when the server adds one.

export const PingBodySchema = z.looseObject({
  pingId: z.string().min(1),
  leadId: z.string().min(1),
  vertical: z.string().min(1),
  zip: z.string().min(1),
  state: z.string().nullish(),
  fields: z.record(z.string(), z.unknown()).nullish(),
  consent: z.looseObject({ trustedFormCertUrl: z.string().nullish(), jornayaLeadId: z.string().nullish() }).nullish(),
});
export type PingBody = z.output<typeof PingBodySchema>;

export const PostBodySchema = z.looseObject({
  pingId: z.string().min(1),
  leadId: z.string().min(1),
  bidCents: z.number().int().nonnegative(),
  lead: z.record(z.string(), z.unknown()),
});
export type PostBody = z.output<typeof PostBodySchema>;

/** Issues as short "path: message" lines, so a 400 tells the server's author what to fix. */
export function issueLines(err: z.ZodError): string[] {
  return err.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`);
}

// One case-insensitive regex instead of normalising each key: no allocation per key on the
// hot path. Matches email, e_mail, emailAddress, phone, phone_number, mobile, cellPhone,
// first_name, firstName, lastName, full-name, streetAddress, ...
const CONTACT_KEY =
  /^(?:e[_-]?mail(?:[_-]?address)?|phone(?:[_-]?number)?|mobile|cell[_-]?phone|(?:first|last|full)[_-]?name|street[_-]?address)$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The path of the first contact detail found anywhere in a ping, or null. A ping goes to every
 * eligible buyer, most of whom will not buy, so any contact detail in it is a privacy leak.
 * Paths are only built on a hit: the clean ping is the hot path.
 */
export function findContact(v: unknown, depth = 0): string | null {
  if (typeof v === "string") return v.includes("@") && EMAIL.test(v) ? "" : null;
  if (v === null || typeof v !== "object" || depth > 8) return null;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const hit = findContact(v[i], depth + 1);
      if (hit !== null) return join(`[${i}]`, hit);
    }
    return null;
  }
  for (const k in v) {
    const val = (v as Record<string, unknown>)[k];
    const empty = val === null || val === undefined || val === "";
    if (!empty && CONTACT_KEY.test(k)) return k;
    const hit = findContact(val, depth + 1);
    if (hit !== null) return join(k, hit);
  }
  return null;
}

const join = (head: string, rest: string): string =>
  rest === "" ? head : rest.startsWith("[") ? head + rest : `${head}.${rest}`;
