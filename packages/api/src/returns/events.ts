// Every step of a return is a lead_events row, so the lead's timeline shows it.
import { insertReturnEvent, type DbOrTx } from "@leadflow/db";

export const RETURN_EVENT_KINDS = [
  "return_requested",
  "return_rule",
  "return_decided",
  "return_credited",
  "return_refused",
] as const;
export type ReturnEventKind = (typeof RETURN_EVENT_KINDS)[number];

export async function returnEvent(
  db: DbOrTx,
  at: Date,
  leadId: string,
  buyerId: string,
  kind: ReturnEventKind,
  data: Record<string, unknown>,
) {
  await insertReturnEvent(db, { leadId, buyerId, at, kind, data });
}
