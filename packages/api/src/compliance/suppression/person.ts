// How a person is named on a suppression list: the E.164 phone or the lower-cased email, as a
// keyed hash (HMAC-SHA256, the helper and key that caller numbers use, calls/hash.ts). A plain
// hash would not do: every North American number can be hashed in minutes.
import { getOrCreateAppSecret, type Db } from "@leadflow/db";
import { randomBytes } from "node:crypto";
import { hashCaller } from "../../calls/hash";
import type { Services } from "../../context";

export type Normalized<T extends string> = { ok: true; kind: T; value: string } | { ok: false; reason: string };

const EMAIL = /^[^\s@"<>(),;:\\[\]]+@[^\s@"<>(),;:\\[\]]+\.[^\s@"<>(),;:\\[\].]{2,}$/;

/**
 * A phone in E.164: 10 digits (a US number, +1 added), 11 starting with 1, or + and 8–15 digits.
 * Separators (spaces, dots, dashes, brackets) are ignored.
 */
export function normalizePhone(raw: string): Normalized<"PHONE"> {
  const t = raw.trim();
  if (!/^\+?[\d\s().-]+$/.test(t))
    return { ok: false, reason: "not a phone number (only digits, spaces, ( ) . - and a leading +)" };
  const digits = t.replace(/\D/g, "");
  if (t.startsWith("+")) {
    if (digits.length < 8 || digits.length > 15 || digits.startsWith("0"))
      return { ok: false, reason: "an international number needs a country code and 8 to 15 digits" };
    return { ok: true, kind: "PHONE", value: `+${digits}` };
  }
  if (digits.length === 10) return { ok: true, kind: "PHONE", value: `+1${digits}` };
  if (digits.length === 11 && digits.startsWith("1")) return { ok: true, kind: "PHONE", value: `+${digits}` };
  return { ok: false, reason: `a US phone needs 10 digits (found ${digits.length}); other countries start with +` };
}

export function normalizeEmail(raw: string): Normalized<"EMAIL"> {
  const t = raw.trim().toLowerCase();
  if (t.length > 254) return { ok: false, reason: "an email address is at most 254 characters" };
  if (!EMAIL.test(t)) return { ok: false, reason: "not a valid email address" };
  return { ok: true, kind: "EMAIL", value: t };
}

/** A cell of an upload: an email if it has an @, else a phone. */
export function normalizeCell(raw: string): Normalized<"PHONE" | "EMAIL"> {
  return raw.includes("@") ? normalizeEmail(raw) : normalizePhone(raw);
}

/** A lead's stored phone (digits, 10 for the US) as E.164, or null. */
export function leadPhoneE164(phoneNormalized: string | null | undefined): string | null {
  if (!phoneNormalized) return null;
  const n = normalizePhone(phoneNormalized.startsWith("+") ? phoneNormalized : phoneNormalized.replace(/\D/g, ""));
  return n.ok ? n.value : null;
}

// Without PERSON_HASH_SECRET in the services (tests, scripts), one key is made per database and
// kept there; the server always passes the caller-hash secret (apps/server/src/server.ts).
const fallbackKeys = new WeakMap<object, Promise<string>>();

export function personHashKey(s: Pick<Services, "db" | "personHashSecret">): Promise<string> {
  if (s.personHashSecret) return Promise.resolve(s.personHashSecret);
  let key = fallbackKeys.get(s.db);
  if (!key) {
    key = getOrCreateAppSecret(s.db as Db, "person-hash", () => ({ secret: randomBytes(32).toString("hex") })).then(
      (v) => v.secret!,
    );
    fallbackKeys.set(s.db, key);
  }
  return key;
}

/** The keyed hash of a normalized phone (E.164) or email. */
export function personHash(key: string, normalized: string): string {
  return hashCaller(key, normalized);
}

/** A 10-digit US number (area code first) as the do-not-call table's key, or null. */
export function dncKey(e164: string | null): number | null {
  if (!e164 || !/^\+1\d{10}$/.test(e164)) return null;
  return Number(e164.slice(2));
}
