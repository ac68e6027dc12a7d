// A DJ's answer to an offer, and the booking that may follow. The window is enforced by the
// conditional UPDATE (and the table's CHECK), not by the inbox: an answer out of turn changes nothing.
import {
  answerOffer,
  findOfferId,
  getOfferWithLeadState,
  listPhaseOfferStatuses,
  lockDjRow,
  updateDj,
  updateMarketLead,
  type Tx,
} from "@leadflow/db";
import {
  canRespond,
  isOpenRoutingState,
  isPhaseExhausted,
  leadStateAfterResponse,
  recordDJConversion,
  updateDJMetrics,
  type RoutingConfig,
  formatCents,
} from "@leadflow/engine";
import { AppError } from "../errors";
import { djMetricsOf, metricsColumns, recordLeadEvent, type MarketServices } from "./common";
import { lockCityDate, releaseDJAvailability } from "./eligibility";
import { holdDJDate, releaseHoldsForLead } from "./holds";
import { lockLead, schedulePhaseTimer, startNextPhase, type TimerToSchedule } from "./routing";
import { updateDJRoutingScore } from "./routing-score";
import { loadRoutingConfig } from "./settings";
import { sendCoupleQuoteNotice } from "./couples/notify";

export interface LeadResponseInput {
  djId: string;
  leadId: string;
  action: "accepted" | "declined";
  quoteCents?: number | null;
  message?: string | null;
}

async function refuse(tx: Tx, s: MarketServices, input: LeadResponseInput): Promise<never> {
  const a = await getOfferWithLeadState(tx, input.leadId, input.djId);
  const verdict = canRespond(a ?? null, input.djId, s.clock);
  const message = verdict.ok ? "This offer can no longer be answered." : verdict.message;
  const code = !verdict.ok && verdict.code === "NOT_OFFERED" ? "NOT_FOUND" : "CONFLICT";
  throw new AppError(code, message);
}

/**
 * Accept or decline. The UPDATE only matches an open offer to this DJ inside its window on a
 * lead that is still open; the DJ's metrics and routing score move in the same transaction. The
 * first acceptance ends routing; a decline that leaves the phase with no open offer moves the
 * lead on at once instead of waiting out the window.
 */
export async function handleLeadResponse(s: MarketServices, input: LeadResponseInput, config?: RoutingConfig) {
  const next = await s.db.transaction(async (tx) => {
    const lead = await lockLead(tx, input.leadId);
    await lockCityDate(tx, lead.city, lead.eventDate); // a decline frees the date and may start the next phase
    const now = s.clock.now();
    const open = isOpenRoutingState(lead.leadState) || lead.leadState === "accepted";
    const answered = open
      ? await answerOffer(tx, {
          leadId: input.leadId,
          djId: input.djId,
          action: input.action,
          now,
          quoteCents: input.action === "accepted" ? (input.quoteCents ?? null) : null,
          message: input.message ?? null,
        })
      : undefined;
    if (!answered) return refuse(tx, s, input);

    const dj = await lockDjRow(tx, input.djId);
    // Accepting holds the date until the couple books or the lead closes. Refused (and the answer
    // rolled back) when the date is no longer the DJ's to hold: booked or blocked since the offer,
    // or held for another lead.
    if (
      input.action === "accepted" &&
      !(await holdDJDate(tx, { djId: input.djId, eventDate: lead.eventDate, leadId: lead.id, now }))
    )
      throw new AppError(
        "CONFLICT",
        "You can no longer accept: your calendar shows this date as booked, unavailable or held for another couple.",
      );
    const metrics = updateDJMetrics(djMetricsOf(dj!), input.action, answered.responseTimeMs ?? 0, s.clock);
    const updated = await updateDj(tx, input.djId, metricsColumns(metrics));
    await updateDJRoutingScore(tx, s.clock, updated!);

    const state = leadStateAfterResponse(lead.leadState, input.action);
    await updateMarketLead(tx, lead.id, {
      leadState: state,
      firstResponseAt: lead.firstResponseAt ?? now,
      ...(state === "accepted" && lead.leadState !== "accepted" ? { acceptedAt: now, acceptedDjId: input.djId } : {}),
    });
    const quote = input.quoteCents != null ? ` with a quote of ${formatCents(input.quoteCents)}` : "";
    await recordLeadEvent(
      tx,
      now,
      lead.id,
      `offer_${input.action}`,
      `${dj!.name} ${input.action === "accepted" ? `accepted${quote}` : "declined"}.`,
      {
        djId: input.djId,
        responseTimeMs: answered.responseTimeMs,
      },
    );
    if (input.action === "declined") {
      await releaseDJAvailability(tx, input.djId, lead.eventDate, lead.id);
      const phaseOffers = await listPhaseOfferStatuses(tx, lead.id, lead.phaseSeq);
      if (isOpenRoutingState(lead.leadState) && isPhaseExhausted(phaseOffers)) {
        await recordLeadEvent(
          tx,
          now,
          lead.id,
          "phase_exhausted",
          "Every DJ in this phase declined; moving on without waiting.",
        );
        return startNextPhase(tx, s, lead, config ?? (await loadRoutingConfig(tx)));
      }
    }
    return null as TimerToSchedule | null;
  });
  await schedulePhaseTimer(s, next);
  // A new quote: the couple hears at once (email through the outbox's queue, SMS with a phone).
  if (input.action === "accepted")
    await sendCoupleQuoteNotice(s, input.leadId, input.djId, input.quoteCents ?? null).catch((err: unknown) =>
      s.log.error({ err, leadId: input.leadId }, "could not tell the couple of a new quote"),
    );
  return { ok: true as const };
}

/** The customer booked the DJ: the lead converts once, the date is booked, the DJ's conversion counts. */
export async function markLeadConverted(
  s: MarketServices,
  input: { leadId: string; djId: string; bookingValueCents: number | null },
) {
  await s.db.transaction(async (tx) => {
    const lead = await lockLead(tx, input.leadId);
    await lockCityDate(tx, lead.city, lead.eventDate); // books the DJ's date
    // A lead never offered to this DJ is not theirs to ask about: not even its state is told.
    const offered = await findOfferId(tx, lead.id, input.djId);
    if (!offered) throw new AppError("NOT_FOUND", "That lead was not offered to you.");
    if (lead.leadState !== "accepted")
      throw new AppError("CONFLICT", `Only an accepted lead can be marked booked; this one is ${lead.leadState}.`);
    const accepted = await findOfferId(tx, lead.id, input.djId, ["accepted"]);
    if (!accepted) throw new AppError("CONFLICT", "Only a DJ who accepted this lead can be booked for it.");
    const now = s.clock.now();
    await updateMarketLead(tx, lead.id, {
      leadState: "converted",
      convertedDjId: input.djId,
      convertedAt: now,
      bookingValueCents: input.bookingValueCents,
    });
    const dj = await lockDjRow(tx, input.djId);
    const updated = await updateDj(tx, input.djId, metricsColumns(recordDJConversion(djMetricsOf(dj!))));
    await updateDJRoutingScore(tx, s.clock, updated!);
    // The booked DJ's date is booked; every other DJ who quoted gets theirs back.
    await releaseHoldsForLead(tx, lead, input.djId, now);
    await recordLeadEvent(tx, now, lead.id, "converted", `Booked with ${dj!.name}.`, {
      djId: input.djId,
      bookingValueCents: input.bookingValueCents,
    });
  });
}
