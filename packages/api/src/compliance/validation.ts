// Validation of a lead's phone and email, made once at intake and stored on the lead
// (leads.validation): libphonenumber-js with its "max" metadata (which knows line types: MOBILE,
// FIXED_LINE, VOIP, TOLL_FREE…) for the phone; the email's syntax and the mailchecker package's
// list of disposable (throwaway) domains. Buyers may refuse on the result (VALIDATION_FAILED) and
// the seller sees it on its lead page. See docs/compliance.md ("Validation").
import type { EmailCheck, LeadValidation, PhoneCheck } from "@leadflow/engine";
import type * as PhoneNumbers from "libphonenumber-js/max";
import type * as MailChecker from "mailchecker";
import { z } from "zod";
import { lazyRequire } from "../lazy-require";

// Both load on the first lead that is validated, not at start-up (lazy-require.ts).
const phoneNumbers = lazyRequire<typeof PhoneNumbers>("libphonenumber-js/max");
const mailChecker = lazyRequire<typeof MailChecker>("mailchecker");

export function validatePhone(phone: string | null | undefined): { phone: PhoneCheck; phoneLineType: string | null } {
  if (!phone?.trim()) return { phone: "MISSING", phoneLineType: null };
  const parsed = phoneNumbers().parsePhoneNumberFromString(phone, "US");
  if (!parsed?.isValid()) return { phone: "INVALID", phoneLineType: null };
  return { phone: "VALID", phoneLineType: parsed.getType() ?? null };
}

const syntax = z.email();

export function validateEmail(email: string | null | undefined): EmailCheck {
  const e = email?.trim().toLowerCase();
  if (!e) return "MISSING";
  if (!syntax.safeParse(e).success) return "INVALID";
  // mailchecker's isValid is false for a malformed address or a disposable domain (and its parents).
  return mailChecker().isValid(e) ? "VALID" : "DISPOSABLE";
}

export function validateContact(contact: { phone?: string | null; email?: string | null }): LeadValidation {
  return { ...validatePhone(contact.phone), email: validateEmail(contact.email) };
}
