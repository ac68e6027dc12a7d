// Dates held once accepted (issue 17, item 2). A DJ who accepts an offer holds the lead's date
// until the couple books someone or the lead closes; while held (or booked) the DJ is eligible for
// no other lead of that date (the engine's rule "date_held", the SQL filter and availableOn).
// The hold is a column of the DJ's one dj_availability row for the date (UNIQUE (dj_id, date)), so
// two leads can never hold one DJ's date; a trigger on market_leads frees a lead's holds whenever
// it converts or closes, whichever code closes it (migration 0017_dj_holds).
import { bookDJDate, holdDJDate, releaseLeadHolds, type DbOrTx } from "@leadflow/db";

export { holdDJDate };

/**
 * The couple chose: frees the date every DJ held for this lead and, when `bookedDjId` is given,
 * books that DJ's date (the booking's own step; calling it again changes nothing). Call it in the
 * booking's or the closing's transaction, after the lead's row and lockCityDate(city, date), like
 * every step that frees or takes DJs' dates. Returns the DJs whose hold was released (to tell
 * them the couple went elsewhere).
 */
export async function releaseHoldsForLead(
  tx: DbOrTx,
  lead: { id: string; eventDate: string },
  bookedDjId: string | null = null,
  now: Date = new Date(),
): Promise<string[]> {
  const released = await releaseLeadHolds(tx, lead.id, bookedDjId);
  if (bookedDjId) await bookDJDate(tx, bookedDjId, lead.eventDate, now);
  return released;
}
