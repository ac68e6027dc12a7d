// The admin's suppression actions: "Do not contact" on a lead's page (the person's phone and
// email onto the global list in one step), the lists' overview, an upload's progress and report,
// and each vertical's screens. Load → decide → write; hashing happens here, never in SQL.
import {
  countDncNumbers,
  countSuppressions,
  getLeadPerson,
  getSuppressionUpload,
  globalSuppressionOf,
  insertSuppressions,
  listDncImports,
  listSuppressionUploads,
  listVerticalChecks,
  setVerticalChecks,
  type SuppressionEntry,
} from "@leadflow/db";
import type { Services } from "../../context";
import { AppError } from "../../errors";
import { personHashKey } from "./person";
import { leadHashes } from "./screen";

async function personOf(s: Services, leadId: string) {
  const person = await getLeadPerson(s.db, leadId);
  if (!person) throw new AppError("NOT_FOUND", "No such lead.");
  const key = await personHashKey(s);
  const { phone, hashes } = leadHashes(key, person);
  const entries: SuppressionEntry[] = hashes.map((hash, i) => ({
    kind: i === 0 && phone ? "PHONE" : "EMAIL",
    hash,
  }));
  return entries;
}

/** Adds the lead's person (phone and email) to the global list; says how many were new. */
export async function doNotContact(s: Services, leadId: string) {
  const entries = await personOf(s, leadId);
  if (entries.length === 0) throw new AppError("PRECONDITION_FAILED", "This lead has neither a phone nor an email.");
  const added = await insertSuppressions(s.db, { buyerId: null, source: "DO_NOT_CONTACT", uploadId: null }, entries);
  s.log.info({ leadId, added }, "person added to the global suppression list");
  return { added, alreadyListed: entries.length - added, listed: true };
}

/** Whether the lead's person is on the global list (every one of its phone and email). */
export async function leadSuppression(s: Services, leadId: string) {
  const entries = await personOf(s, leadId);
  const n = await globalSuppressionOf(
    s.db,
    entries.map((e) => e.hash),
  );
  return { listed: entries.length > 0 && n === entries.length, canList: entries.length > 0 };
}

export async function suppressionOverview(s: Services) {
  const [lists, uploads, dncNumbers, dncImports, verticals] = await Promise.all([
    countSuppressions(s.db),
    listSuppressionUploads(s.db, 50),
    countDncNumbers(s.db),
    listDncImports(s.db, 20),
    listVerticalChecks(s.db),
  ]);
  const byList = new Map<
    string,
    { buyerId: string | null; buyerName: string | null; phones: number; emails: number }
  >();
  for (const r of lists) {
    const k = r.buyerId ?? "global";
    const e = byList.get(k) ?? { buyerId: r.buyerId, buyerName: r.buyerName, phones: 0, emails: 0 };
    if (r.kind === "PHONE") e.phones += r.n;
    else e.emails += r.n;
    byList.set(k, e);
  }
  // Whether the litigator list is configured: a vertical that applies it without one refuses its
  // leads (fail-closed) or lets them through unchecked (fail-open), and the page says so.
  return {
    lists: [...byList.values()],
    uploads,
    dncNumbers,
    dncImports,
    verticals,
    litigatorConfigured: !!s.litigator,
  };
}

export async function suppressionUpload(s: Services, id: string) {
  const row = await getSuppressionUpload(s.db, id);
  if (!row) throw new AppError("NOT_FOUND", "No such upload.");
  return row;
}

export async function updateVerticalChecks(
  s: Services,
  input: {
    key: string;
    checkSuppression: boolean;
    checkDnc: boolean;
    checkLitigator: boolean;
    litigatorFailOpen: boolean;
  },
) {
  if (!(await setVerticalChecks(s.db, input.key, input))) throw new AppError("NOT_FOUND", "No such vertical.");
  return input;
}
