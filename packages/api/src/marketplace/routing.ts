// Phased routing: score the lead, offer it to the best eligible DJs in timed phases, and move it
// on when its phase ends. The lead's due_at is the durable timer: the sweeper (timers.ts) claims due
// leads FOR UPDATE SKIP LOCKED. Every move is a compare-and-set on phase_seq.
import {
  advanceMarketLeadPhase,
  claimDueMarketLead,
  insertOffers,
  listOfferedDjIds,
  lockMarketLead,
  setMarketLeadDue,
  updateMarketLead,
  type MarketLeadRow,
  type Tx,
} from "@leadflow/db";
import {
  calculateLeadScore,
  checkPhaseTimer,
  planNextPhase,
  routingConfigForCity,
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
import { loadCityWindows, loadRoutingConfig, marketTime } from "./settings";
import { queueOfferNotifications, sendSoon } from "../notify/send";

const LOCK_SLACK = 20;

export type { MarketLeadRow };
export interface TimerToSchedule {
  timer: PhaseTimer & { leadId: string };
  dueAt: Date;
  /** The new offers' messages, sent as soon as the transaction has committed. */
  notifications?: string[];
}

/**
 * After a phase started: its timer is already durable (the lead's due_at, written with the phase),
 * so this only sends the new offers' messages and wakes this process's sweepers for the due time.
 */
export async function schedulePhaseTimer(s: MarketServices, t: TimerToSchedule | null): Promise<void> {
  sendSoon(s, t?.notifications);
  if (!t) return;
  wakeSweepersAt(t.dueAt, s.clock.now());
  s.log.debug({ leadId: t.timer.leadId, phase: t.timer.phase, seq: t.timer.seq, dueAt: t.dueAt }, "phase timer set");
}

/** The sweepers of this process (timers.ts registers them): woken when a window they must close ends. */
const sweeperWakers = new Set<(inMs: number) => void>();
export function onPhaseDue(wake: (inMs: number) => void): () => void {
  sweeperWakers.add(wake);
  return () => sweeperWakers.delete(wake);
}
function wakeSweepersAt(dueAt: Date, now: Date) {
  for (const wake of sweeperWakers) wake(Math.max(0, dueAt.getTime() - now.getTime()));
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
  // The city's own windows (an operator trying routing in one city), then MARKET_TIME_SCALE.
  config = scaleRoutingWindows(routingConfigForCity(config, await loadCityWindows(tx), lead.city), marketTime.scale);
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
    dueAt: plan.phase === "concierge" ? null : plan.windowEndsAt,
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
 * What a phase timer does to a lead whose row the caller has locked. checkPhaseTimer turns away
 * stale, repeated and early timers; the lead moves with a compare-and-set on phase_seq, so two
 * workers holding the same timer move the lead once. Keeps due_at true: cleared when nothing more
 * is due (offers expired on an accepted lead, lead closed or in concierge), the next window's end
 * when a phase starts.
 */
async function transitionLockedLead(
  tx: Tx,
  s: MarketServices,
  lead: MarketLeadRow,
  timer: PhaseTimer & { leadId: string },
  config: RoutingConfig | undefined,
): Promise<TransitionResult> {
  const decision = checkPhaseTimer(
    { state: lead.leadState, phaseSeq: lead.phaseSeq, phaseEndsAt: lead.phaseEndsAt },
    timer,
    s.clock,
  );
  if (decision.action === "reschedule") return decision;
  if (decision.action === "ignore") {
    // A stale timer says nothing about the lead's current phase; a closed lead has nothing due.
    if (decision.reason !== "superseded" && lead.dueAt) await setMarketLeadDue(tx, lead.id, null);
    return decision;
  }
  // Frees this lead's dates and takes the next DJs': one step at a time per (city, date).
  await lockCityDate(tx, lead.city, lead.eventDate);
  await expireOpenOffers(tx, s, lead);
  if (decision.action === "expire_offers") {
    await setMarketLeadDue(tx, lead.id, null);
    return decision;
  }
  return { ...decision, next: await startNextPhase(tx, s, lead, config ?? (await loadRoutingConfig(tx))) };
}

/** A phase timer for one lead (tests, and a repeated or stale timer's proof): locks the lead and runs it. */
export async function transitionToNextPhase(
  s: MarketServices,
  timer: PhaseTimer & { leadId: string },
  config?: RoutingConfig,
): Promise<TransitionResult> {
  const result = await s.db.transaction(async (tx): Promise<TransitionResult> => {
    const lead = await lockLead(tx, timer.leadId);
    return transitionLockedLead(tx, s, lead, timer, config);
  });
  s.log.info({ leadId: timer.leadId, timer, action: result.action }, "phase timer handled");
  if (result.next) await schedulePhaseTimer(s, result.next);
  return result;
}

export interface DueTransition {
  leadId: string;
  dueAt: Date;
  result: TransitionResult;
}

/**
 * The sweeper's step: claims the lead due earliest by `now` (FOR UPDATE SKIP LOCKED, so workers in
 * any number of processes never take the same lead at once) and runs its phase timer in the same
 * transaction. Null when nothing is due.
 */
export async function runDueTransition(
  s: MarketServices,
  opts: { config?: RoutingConfig; before?: Date; onClaim?: (leadId: string) => void } = {},
): Promise<DueTransition | null> {
  const done = await s.db.transaction(async (tx): Promise<DueTransition | null> => {
    const lead = await claimDueMarketLead(tx, opts.before ?? s.clock.now());
    if (!lead) return null;
    opts.onClaim?.(lead.id);
    const dueAt = lead.dueAt!;
    if (!lead.phase || lead.phase === "concierge") {
      await setMarketLeadDue(tx, lead.id, null);
      return { leadId: lead.id, dueAt, result: { action: "ignore", reason: "in_concierge" } };
    }
    const timer = { leadId: lead.id, phase: lead.phase, seq: lead.phaseSeq };
    const result = await transitionLockedLead(tx, s, lead, timer, opts.config);
    if (result.action === "reschedule") await setMarketLeadDue(tx, lead.id, result.dueAt);
    // The timer was read from the row itself: "superseded" means a state that waits on nothing.
    else if (result.action === "ignore" && result.reason === "superseded") await setMarketLeadDue(tx, lead.id, null);
    return { leadId: lead.id, dueAt, result };
  });
  if (!done) return null;
  s.log.debug({ leadId: done.leadId, action: done.result.action }, "phase timer handled");
  if (done.result.next) await schedulePhaseTimer(s, done.result.next);
  return done;
}

/**
 * Runs every timer due more than `graceMs` ago, one after another (the proofs' "sweep now"; the
 * workers' sweepers run them continuously). Returns how many leads it handled.
 */
export async function sweepOverdueLeads(s: MarketServices, graceMs = 60_000): Promise<number> {
  let n = 0;
  const before = new Date(s.clock.now().getTime() - graceMs);
  while (await runDueTransition(s, { before })) n++;
  return n;
}
