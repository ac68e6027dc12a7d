// The couple chooses a DJ on the comparison page: in one transaction on the locked lead row the
// lead converts to that DJ, the DJ's date is booked, every other DJ who quoted has their offer
// marked "the couple went elsewhere" and their date freed, and the lead is closed to routing.
// Two clicks (or two tabs) serialise on the lead row: the second finds it converted and books
// nothing again; choosing a different DJ afterwards is refused.
import {
  getComparisonLead,
  getOfferOfDj,
  listOpenOfferDjIds,
  lockDjRow,
  markOffersChoseOther,
  updateDj,
  updateMarketLead,
} from "@leadflow/db";
import { recordDJConversion } from "@leadflow/engine";
import type { Services } from "../../context";
import { AppError } from "../../errors";
import { hashToken } from "../blast";
import { djMetricsOf, metricsColumns, recordLeadEvent } from "../common";
import { lockCityDate, releaseDJAvailability } from "../eligibility";
import { releaseHoldsForLead } from "../holds";
import { lockLead } from "../routing";
import { updateDJRoutingScore } from "../routing-score";
import { sendDjChoseOtherNotice } from "./notify";
import { verifyCompareToken } from "./token";

/** The lead a comparison token opens: a signed token is checked before the table is read. */
export async function leadOfToken(s: Pick<Services, "db" | "notify">, token: string): Promise<string> {
  const notFound = () =>
    new AppError("NOT_FOUND", "We couldn't find that comparison page. Check the link you were sent.");
  if (token.includes(".")) {
    const secret = s.notify?.linkSecret;
    if (!secret || !verifyCompareToken(secret, token)) throw notFound();
  }
  const lead = await getComparisonLead(s.db, hashToken(token));
  if (!lead) throw notFound();
  return lead.id;
}

export async function chooseDJ(s: Services, input: { token: string; djId: string }) {
  const leadId = await leadOfToken(s, input.token);
  const result = await s.db.transaction(async (tx) => {
    const lead = await lockLead(tx, leadId);
    await lockCityDate(tx, lead.city, lead.eventDate); // frees and books DJs' dates
    const offer = await getOfferOfDj(tx, lead.id, input.djId);
    if (!offer || offer.status !== "accepted")
      throw new AppError("NOT_FOUND", "That DJ has not sent you a quote for this event.");
    if (lead.leadState === "converted") {
      if (lead.convertedDjId === input.djId) return { djName: offer.djName, already: true, others: [] as string[] };
      throw new AppError("CONFLICT", "You have already booked another DJ for this event.");
    }
    if (lead.leadState !== "accepted")
      throw new AppError("CONFLICT", "This inquiry is closed; a DJ can no longer be booked through it.");
    const now = s.clock.now();
    await updateMarketLead(tx, lead.id, {
      leadState: "converted",
      convertedDjId: input.djId,
      convertedAt: now,
      bookingValueCents: offer.quoteCents,
    });
    const dj = await lockDjRow(tx, input.djId);
    const updated = await updateDj(tx, input.djId, metricsColumns(recordDJConversion(djMetricsOf(dj!))));
    await updateDJRoutingScore(tx, s.clock, updated!);
    // The chosen DJ's date is booked; every other DJ's hold for this lead ends (holds.ts).
    await releaseHoldsForLead(tx, lead, input.djId, now);
    const others = (await markOffersChoseOther(tx, lead.id, input.djId, now)).map((r) => r.djId);
    for (const other of [...others, ...(await listOpenOfferDjIds(tx, lead.id))])
      await releaseDJAvailability(tx, other, lead.eventDate, lead.id);
    await recordLeadEvent(tx, now, lead.id, "couple_chose", `The couple booked ${offer.djName}.`, {
      djId: input.djId,
      bookingValueCents: offer.quoteCents,
      toldOthers: others,
    });
    return { djName: offer.djName, already: false, others };
  });
  // After the commit: each DJ who quoted in vain hears once (keyed emails).
  for (const other of result.others)
    await sendDjChoseOtherNotice(s, leadId, other).catch((err: unknown) =>
      s.log.error({ err, leadId, djId: other }, "could not tell a DJ the couple went elsewhere"),
    );
  return { booked: result.djName, alreadyBooked: result.already };
}
