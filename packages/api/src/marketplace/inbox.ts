// The DJ's inbox: offers with their windows, accepted leads, and contacts they have unlocked.
// The customer's contact is joined in only through the DJ's own unlock row (listDjInbox).
import { listDjInbox, listDjLedger, type Db } from "@leadflow/db";

export async function djInbox(db: Db, djId: string) {
  return listDjInbox(db, djId);
}

export async function djLedger(db: Db, djId: string) {
  return listDjLedger(db, djId);
}
