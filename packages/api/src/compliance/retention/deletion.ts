// A person's deletion request (docs/compliance.md): an admin enters the phone and/or email the
// person gave; everything the project keeps that names them is emptied in one transaction and an
// audit entry records when, which admin, by which identifiers and how many rows of which tables,
// never the data. Suppression entries (keyed hashes) stay: they are how a "do not contact me" is
// honoured. Load → hash → write.
import { erasePerson, listDeletionRequests } from "@leadflow/db";
import type { Services } from "../../context";
import { AppError } from "../../errors";
import { normalizeEmail, normalizePhone, personHash, personHashKey } from "../suppression/person";

export async function requestDeletion(
  s: Services,
  input: { phone?: string | null | undefined; email?: string | null | undefined },
  createdBy: string | null,
) {
  const errors: Record<string, string[]> = {};
  const phone = input.phone?.trim() ? normalizePhone(input.phone) : null;
  const email = input.email?.trim() ? normalizeEmail(input.email) : null;
  if (phone && !phone.ok) errors.phone = [phone.reason];
  if (email && !email.ok) errors.email = [email.reason];
  if (!phone && !email) errors.phone = ["Enter the person's phone, email or both."];
  if (Object.keys(errors).length > 0) throw new AppError("BAD_REQUEST", Object.values(errors).flat().join(" "), errors);
  const e164 = phone?.ok ? phone.value : null;
  const mail = email?.ok ? email.value : null;
  const key = await personHashKey(s);
  // Leads keep US numbers as their 10 digits; other numbers as all their digits.
  const phoneDigits = e164 ? (e164.startsWith("+1") && e164.length === 12 ? e164.slice(2) : e164.slice(1)) : null;
  const res = await erasePerson(
    s.db,
    {
      phoneDigits,
      email: mail,
      phoneHash: e164 ? personHash(key, e164) : null,
      emailHash: mail ? personHash(key, mail) : null,
    },
    { at: s.clock.now(), createdBy, byPhone: e164 !== null, byEmail: mail !== null },
  );
  s.log.info({ deletionRequest: res.id, removed: res.removed }, "deletion request carried out");
  return res;
}

export function deletionRequests(s: Services) {
  return listDeletionRequests(s.db, 50);
}
