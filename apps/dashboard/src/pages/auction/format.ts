// Numbers for the auction pages; words for its enums are in ../../labels.
import { formatCents } from "@leadflow/engine";
import { dateTime } from "../../format/time";
import { labelOf, LOST_REASON_TEXT, PING_OUTCOME_TEXT, TRANSACTION_KIND_TEXT } from "../../labels";

export const money = (cents: number | null | undefined) => (cents == null ? "—" : formatCents(cents));

export const when = (d: string | Date | null | undefined) => dateTime(d);

export function outcomeText(t: {
  isWinner: boolean;
  lostReason: string | null;
  pingOutcome: string | null;
  kind: string;
}) {
  if (t.isWinner) return "Won";
  if (t.lostReason) return `Lost: ${labelOf(LOST_REASON_TEXT, t.lostReason)}`;
  return t.pingOutcome ? labelOf(PING_OUTCOME_TEXT, t.pingOutcome) : labelOf(TRANSACTION_KIND_TEXT, t.kind);
}
