// The DJ's inbox: offers with their windows, accepted leads, and contacts they have unlocked.
// The customer's contact is joined in only through the DJ's own unlock row (listDjInbox). Each
// offer carries its outcome, so an offer withdrawn (another DJ took it, the window ended) says so.
import { listDjInbox, listDjLedger, type Db } from "@leadflow/db";
import { offerOutcome } from "@leadflow/engine";

export async function djInbox(db: Db, djId: string, now: Date = new Date()) {
  const rows = await listDjInbox(db, djId);
  return rows.map((r) => ({ ...r, outcome: offerOutcome(r, now) }));
}

export async function djLedger(db: Db, djId: string) {
  return listDjLedger(db, djId);
}
