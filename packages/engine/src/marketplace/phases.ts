import type { Clock } from "../clock";
import {
  TIMED_ROUTING_PHASES,
  type AssignmentStatus,
  type ConciergeReason,
  type MarketLeadState,
  type RoutingPhase,
  type TimedRoutingPhase,
} from "./enums";
import { MarketplaceError } from "./errors";
import { isTerminalLeadState } from "./lead-lifecycle";
import { phaseMaxDJs, phaseWindowMinutes, type RoutingConfig } from "./routing-config";
import { MS_PER_MINUTE } from "./units";

export type PhasePlan =
  | { phase: TimedRoutingPhase; offerTo: string[]; windowEndsAt: Date; skipped: TimedRoutingPhase[] }
  | { phase: "concierge"; reason: ConciergeReason; skipped: TimedRoutingPhase[] };

/** The phase the lead is in now; null before its first phase. */
export interface PhasePlanState {
  phase: RoutingPhase | null;
}

/**
 * Picks the next phase and whom to offer it to. A phase with nobody left to offer is skipped
 * (and listed in `skipped` for the timeline); past broadcast, or with nobody at all, the lead
 * goes to concierge. `rankedEligibleDjIds` is recomputed by the caller before each phase, since
 * calendars and locks change while a lead is out. A DJ is never offered the same lead twice.
 */
export function planNextPhase(
  state: PhasePlanState,
  rankedEligibleDjIds: readonly string[],
  alreadyOffered: Iterable<string>,
  config: RoutingConfig,
  clock: Clock,
): PhasePlan {
  if (state.phase === "concierge") {
    throw new MarketplaceError("INVALID_TRANSITION", "The lead is already with the concierge team.");
  }
  const offered = new Set(alreadyOffered);
  const start = state.phase == null ? 0 : TIMED_ROUTING_PHASES.indexOf(state.phase) + 1;
  const skipped: TimedRoutingPhase[] = [];
  for (const phase of TIMED_ROUTING_PHASES.slice(start)) {
    const offerTo: string[] = [];
    for (const id of rankedEligibleDjIds) {
      if (offerTo.length >= phaseMaxDJs(phase, config)) break;
      // The Set check also drops duplicates inside the ranked list.
      if (!offered.has(id) && !offerTo.includes(id)) offerTo.push(id);
    }
    if (offerTo.length > 0) {
      const windowEndsAt = new Date(clock.now().getTime() + phaseWindowMinutes(phase, config) * MS_PER_MINUTE);
      return { phase, offerTo, windowEndsAt, skipped };
    }
    skipped.push(phase);
  }
  return { phase: "concierge", reason: offered.size === 0 ? "no_eligible_djs" : "nobody_accepted", skipped };
}

/** What the lead row says when a phase timer fires. `phaseSeq` goes up by one each time a phase starts. */
export interface LeadRoutingSnapshot {
  state: MarketLeadState;
  phaseSeq: number;
  phaseEndsAt: Date | null;
}

/** A durable timer's payload: the phase and sequence number it was scheduled for. */
export interface PhaseTimer {
  phase: TimedRoutingPhase;
  seq: number;
}

export type PhaseTimerDecision =
  | { action: "advance" }
  | { action: "expire_offers" }
  | { action: "reschedule"; dueAt: Date }
  | { action: "ignore"; reason: "superseded" | "lead_closed" | "in_concierge" };

/**
 * Decides what a firing phase timer may do. A timer belongs to one (phase, seq); once the lead
 * has moved on, was closed, or the timer is a redelivery of one already acted on, it is ignored,
 * so a late or repeated timer never moves a lead twice. The caller still advances with a
 * compare-and-set on phase_seq, which settles two workers racing on one timer.
 * An accepted lead starts no new phase, but its phase's unanswered offers expire on time.
 */
export function checkPhaseTimer(lead: LeadRoutingSnapshot, timer: PhaseTimer, clock: Clock): PhaseTimerDecision {
  if (timer.seq !== lead.phaseSeq) return { action: "ignore", reason: "superseded" };
  if (isTerminalLeadState(lead.state)) return { action: "ignore", reason: "lead_closed" };
  if (lead.state === "concierge") return { action: "ignore", reason: "in_concierge" };
  if (lead.state !== "accepted" && lead.state !== timer.phase) return { action: "ignore", reason: "superseded" };
  // Fired early (clock skew, a sweeper run): come back at the window's end rather than cut it short.
  if (lead.phaseEndsAt && clock.now().getTime() < lead.phaseEndsAt.getTime()) {
    return { action: "reschedule", dueAt: lead.phaseEndsAt };
  }
  return lead.state === "accepted" ? { action: "expire_offers" } : { action: "advance" };
}

/**
 * True when every offer of the current phase has been answered and none accepted: the lead can
 * move on now instead of waiting out the window (e.g. the exclusive DJ declined at minute 2).
 */
export function isPhaseExhausted(phaseOffers: readonly { status: AssignmentStatus }[]): boolean {
  return phaseOffers.length > 0 && phaseOffers.every((o) => o.status === "declined" || o.status === "ignored");
}
