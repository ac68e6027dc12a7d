// Phased routing: score the lead, offer it to the best eligible DJs in timed phases, and move it
// on when a phase's durable timer fires. Every move is a compare-and-set on phase_seq.
import {
  advanceMarketLeadPhase,
  insertOffers,
  listOfferedDjIds,
  listOverdueMarketLeads,
  lockMarketLead,
  updateMarketLead,
  type MarketLeadRow,
  type Tx,
} from "@leadflow/db";
import {
  calculateLeadScore,
  checkPhaseTimer,
  planNextPhase,
  scaleRoutingWindows,
  type PhaseTimer,
  type PhaseTimerDecision,
  type RoutingConfig,
  type TimedRoutingPhase,
} from "@leadflow/engine";
import { AppError } from "../errors";
import { recordDjVerdicts } from "../insight/dj-verdicts";
import { recomputeCityStats } from "./city-stats";
import { asAppError, loadCityStats, recordLeadEvent, type MarketServices } from "./common";
import { getEligibleDJs, lockCityDate, lockDJAvailability } from "./eligibility";
import { expireOpenOffers } from "./expire";
import { loadRoutingConfig, marketTime } from "./settings";
import { queueOfferNotifications, sendSoon } from "../notify/send";

export const PHASE_TIMER_QUEUE = "market-phase-timer";
const LOCK_SLACK = 20;

export type { MarketLeadRow };
export interface TimerToSchedule {
  timer: PhaseTimer & { leadId: string };
  dueAt: Date;
  /** The new offers' messages, sent as soon as the transaction has committed. */
  notifications?: string[];
}

/** The durable timer: a pg-boss job that starts at the window's end and survives restarts. */
export async function schedulePhaseTimer(s: MarketServices, t: TimerToSchedule | null): Promise<void> {
  sendSoon(s, t?.notifications);
  if (!t || !s.boss) return;
  await s.boss.send(PHASE_TIMER_QUEUE, t.timer, { startAfter: t.dueAt, retryLimit: 5, retryDelay: 5 });
  s.log.debug(
    { leadId: t.timer.leadId, phase: t.timer.phase, seq: t.timer.seq, dueAt: t.dueAt },
    "phase timer scheduled",
  );
}

export async function lockLead(tx: Tx, leadId: string): Promise<MarketLeadRow> {
  const lead = await lockMarketLead(tx, leadId);
  if (!lead) throw new AppError("NOT_FOUND", "That lead does not exist.");
  return lead;
}

/**
 * Starts the phase after the lead's current one (or the first): ranks the eligible DJs again,
 * locks each offered DJ's date until the window ends (a DJ another lead holds is passed over),
 * writes the offers, and moves the lead with a compare-and-set on phase_seq.
 */
export async function startNextPhase(
  tx: Tx,
  s: MarketServices,
  lead: MarketLeadRow,
  config: RoutingConfig,
): Promise<TimerToSchedule | null> {
  config = scaleRoutingWindows(config, marketTime.scale);
  const now = s.clock.now();
  const offered = await listOfferedDjIds(tx, lead.id);
  // No phase can reach past the DJs already offered plus every later phase's size; the slack
  // covers DJs another lead locks between this read and our lock.
  const limit =
    offered.length + config.maxExclusiveDJs + config.maxTierExpansionDJs + config.maxBroadcastDJs + LOCK_SLACK;
  const eligible = await getEligibleDJs(tx, { ...lead, leadId: lead.id, now, limit });
  const lost = new Set<string>();
  let plan = planNextPhase(
    { phase: lead.phase },
    eligible.map((e) => e.id),
    offered,
    config,
    s.clock,
  );
  let winners: string[] = [];
  while (plan.phase !== "concierge") {
    for (const djId of plan.offerTo) {
      if (await lockDJAvailability(tx, djId, lead.eventDate, lead.id, plan.windowEndsAt, now)) winners.push(djId);
      else lost.add(djId);
    }
    if (winners.length > 0) break;
    // Everyone planned was just taken by another lead: plan the same phase again without them.
    const ranked = eligible.map((e) => e.id).filter((id) => !lost.has(id));
    plan = planNextPhase({ phase: lead.phase }, ranked, offered, config, s.clock);
    winners = [];
  }
  const seq = lead.phaseSeq + 1;
  const moved = await advanceMarketLeadPhase(tx, lead.id, lead.phaseSeq, {
    leadState: plan.phase,
    phase: plan.phase,
    phaseSeq: seq,
    phaseEndsAt: plan.phase === "concierge" ? null : plan.windowEndsAt,
    conciergeReason: plan.phase === "concierge" ? plan.reason : null,
  });
  if (!moved) throw new AppError("CONFLICT", "The lead moved on while it was being routed.");
  if (plan.skipped.length > 0) {
    await recordLeadEvent(
      tx,
      now,
      lead.id,
      "phase_skipped",
      `Skipped ${plan.skipped.join(", ")}: no eligible DJ left to offer.`,
      { skipped: plan.skipped },
    );
  }
  if (plan.phase === "concierge") {
    const why = plan.reason === "no_eligible_djs" ? "no DJ was eligible" : "no DJ accepted in time";
    await recordLeadEvent(tx, now, lead.id, "concierge", `Sent to the concierge team: ${why}.`, {
      reason: plan.reason,
      seq,
    });
    s.log.info({ leadId: lead.id, reason: plan.reason }, "lead sent to concierge");
    return null;
  }
  await insertOffers(
    tx,
    winners.map((djId) => ({
      leadId: lead.id,
      djId,
      phase: plan.phase,
      phaseSeq: seq,
      offeredAt: now,
      windowEndsAt: plan.windowEndsAt,
    })),
  );
  // Each offered DJ is told on their channels; the messages and their jobs commit with the offers.
  const notifications = await queueOfferNotifications(tx, s, lead.id, winners, now);
  await recordLeadEvent(
    tx,
    now,
    lead.id,
    "phase_started",
    `${phaseLabel(plan.phase)}: offered to ${winners.length} DJ${winners.length === 1 ? "" : "s"} until ${plan.windowEndsAt.toISOString()}.`,
    { phase: plan.phase, seq, offeredTo: winners, candidates: eligible.length, passedOverLocked: [...lost] },
  );
  s.log.info({ leadId: lead.id, phase: plan.phase, seq, offered: winners.length }, "phase started");
  return { timer: { leadId: lead.id, phase: plan.phase, seq }, dueAt: plan.windowEndsAt, notifications };
}

export function phaseLabel(p: TimedRoutingPhase | "concierge"): string {
  return {
    exclusive: "Exclusive offer",
    tier_expansion: "Tier expansion",
    broadcast: "Broadcast",
    concierge: "Concierge",
  }[p];
}

/** Scores a pending lead, stores every component, and starts its first phase, in the caller's transaction. */
export async function routeLeadTx(
  tx: Tx,
  s: MarketServices,
  leadId: string,
  config?: RoutingConfig,
): Promise<TimerToSchedule | null> {
  const lead = await lockLead(tx, leadId);
  await lockCityDate(tx, lead.city, lead.eventDate);
  if (lead.leadState !== "pending") throw new AppError("CONFLICT", `This lead is already ${lead.leadState}.`);
  const stats = await loadCityStats(tx, lead.city);
  let score;
  try {
    score = calculateLeadScore(
      { ...lead, contactName: lead.contact.name, contactEmail: lead.contact.email, contactPhone: lead.contact.phone },
      stats,
      s.clock,
    );
  } catch (err) {
    asAppError(err);
  }
  const now = s.clock.now();
  await updateMarketLead(tx, lead.id, {
    scoreTotal: score.total,
    scoreComponents: { ...score.components },
    scoreExplanations: { ...score.explanations },
    leadState: "routing",
  });
  await recordLeadEvent(tx, now, lead.id, "scored", `Scored ${score.total} of 100.`, { ...score });
  await recordDjVerdicts(tx, lead, now); // each DJ's verdict, for the timeline and the DJ's "why not"
  const next = await startNextPhase(tx, s, { ...lead, leadState: "routing" }, config ?? (await loadRoutingConfig(tx)));
  // The city's statistics (demand, price guidance) count this lead from now on (issue 17, item 5).
  await recomputeCityStats(tx, s.clock, lead.city);
  return next;
}

export async function routeLead(
  s: MarketServices,
  leadId: string,
  config?: RoutingConfig,
): Promise<TimerToSchedule | null> {
  const next = await s.db.transaction((tx) => routeLeadTx(tx, s, leadId, config));
  await schedulePhaseTimer(s, next);
  return next;
}

export type TransitionResult = PhaseTimerDecision & { next?: TimerToSchedule | null };

/**
 * What a firing phase timer does. checkPhaseTimer turns away stale, repeated and early timers;
 * the lead row is locked and moved with a compare-and-set on phase_seq, so two workers holding
 * the same timer move the lead once.
 */
export async function transitionToNextPhase(
  s: MarketServices,
  timer: PhaseTimer & { leadId: string },
  config?: RoutingConfig,
): Promise<TransitionResult> {
  const result = await s.db.transaction(async (tx): Promise<TransitionResult> => {
    const lead = await lockLead(tx, timer.leadId);
    const decision = checkPhaseTimer(
      { state: lead.leadState, phaseSeq: lead.phaseSeq, phaseEndsAt: lead.phaseEndsAt },
      timer,
      s.clock,
    );
    if (decision.action === "ignore" || decision.action === "reschedule") return decision;
    // Frees this lead's dates and takes the next DJs': one step at a time per (city, date).
    await lockCityDate(tx, lead.city, lead.eventDate);
    await expireOpenOffers(tx, s, lead);
    if (decision.action === "expire_offers") return decision;
    return { ...decision, next: await startNextPhase(tx, s, lead, config ?? (await loadRoutingConfig(tx))) };
  });
  s.log.info({ leadId: timer.leadId, timer, action: result.action }, "phase timer handled");
  if (result.action === "reschedule") await schedulePhaseTimer(s, { timer, dueAt: result.dueAt });
  if (result.next) await schedulePhaseTimer(s, result.next);
  return result;
}

/**
 * Timers whose job was lost (a crash between commit and send): leads whose phase ended over a
 * minute ago get their timer run again. The compare-and-set makes a duplicate harmless.
 */
export async function sweepOverdueLeads(s: MarketServices, graceMs = 60_000): Promise<number> {
  const overdue = await listOverdueMarketLeads(s.db, new Date(s.clock.now().getTime() - graceMs), 500);
  for (const l of overdue) {
    if (l.phase && l.phase !== "concierge")
      await transitionToNextPhase(s, { leadId: l.id, phase: l.phase, seq: l.seq });
  }
  return overdue.length;
}
