import type { Clock } from "../clock";
import type { AssignmentStatus, MarketLeadState, ResponseAction } from "./enums";
import { MarketplaceError } from "./errors";
import { isTerminalLeadState } from "./lead-lifecycle";
import { currentPenalty, DEFAULT_PENALTY_DECAY_PER_DAY, MAX_PENALTY } from "./routing-score";
import { clamp, MS_PER_HOUR } from "./units";

/** A DJ's reputation as stored. Rates are fractions 0-1 derived from the counts, null before any offer. */
export interface DJMetrics {
  reliability: number;
  penalty: number;
  penaltyUpdatedAt: Date | null;
  avgResponseTimeMs: number | null;
  acceptedCount: number;
  declinedCount: number;
  ignoredCount: number;
  convertedCount: number;
  acceptanceRate: number | null;
  declineRate: number | null;
  ignoreRate: number | null;
  conversionRate: number | null;
}

/** New DJs start at 70: eligible (>= 50) with room to fall before they stop being offered leads. */
export const NEW_DJ_METRICS: Readonly<DJMetrics> = {
  reliability: 70,
  penalty: 0,
  penaltyUpdatedAt: null,
  avgResponseTimeMs: null,
  acceptedCount: 0,
  declinedCount: 0,
  ignoredCount: 0,
  convertedCount: 0,
  acceptanceRate: null,
  declineRate: null,
  ignoreRate: null,
  conversionRate: null,
};

export const FAST_RESPONSE_MS = MS_PER_HOUR;
export const HIGH_DECLINE_RATE = 0.5;
export const HIGH_DECLINE_MIN_OFFERS = 5;
export const IGNORE_PENALTY_POINTS = 5;
export const FAST_ACCEPT_PENALTY_RELIEF = 2;
/** Weight of the old average in the rolling response time (the seed's 70/30). */
export const RESPONSE_AVERAGE_OLD_WEIGHT = 0.7;

const round2 = (x: number) => Math.round(x * 100) / 100;

function withRates(m: DJMetrics): DJMetrics {
  const total = m.acceptedCount + m.declinedCount + m.ignoredCount;
  return {
    ...m,
    acceptanceRate: total ? m.acceptedCount / total : null,
    declineRate: total ? m.declinedCount / total : null,
    ignoreRate: total ? m.ignoredCount / total : null,
    conversionRate: m.acceptedCount ? Math.min(1, m.convertedCount / m.acceptedCount) : null,
  };
}

/**
 * Applies one answer to a DJ's metrics. Reliability: accept +1 (+2 when under an hour); decline
 * -1 (-2 when more than half of at least 5 offers were declined); ignore -3 to -8, the extra
 * scaled by how often the DJ ignored before, so one slip costs little and a habit a lot.
 * Penalty: the decayed value is folded in and restamped only when it changes (fast accept -2,
 * ignore +5, capped at 20); restamping on every answer would restart the decay and keep it high.
 */
export function updateDJMetrics(
  metrics: DJMetrics,
  action: ResponseAction,
  responseTimeMs: number | null,
  clock: Clock,
  penaltyDecayPerDay = DEFAULT_PENALTY_DECAY_PER_DAY,
): DJMetrics {
  if (action !== "ignored" && (responseTimeMs == null || !Number.isFinite(responseTimeMs) || responseTimeMs < 0)) {
    throw new MarketplaceError("INVALID_INPUT", "An answer needs a response time of zero or more.", "responseTimeMs");
  }
  const next: DJMetrics = { ...metrics };
  const fast = responseTimeMs != null && responseTimeMs < FAST_RESPONSE_MS;
  const setPenalty = (delta: number) => {
    const now = currentPenalty(metrics.penalty, metrics.penaltyUpdatedAt, clock, penaltyDecayPerDay);
    next.penalty = round2(clamp(now + delta, 0, MAX_PENALTY));
    next.penaltyUpdatedAt = clock.now();
  };
  let reliabilityDelta: number;
  if (action === "accepted") {
    next.acceptedCount += 1;
    reliabilityDelta = fast ? 2 : 1;
    if (fast) setPenalty(-FAST_ACCEPT_PENALTY_RELIEF);
  } else if (action === "declined") {
    next.declinedCount += 1;
    const total = next.acceptedCount + next.declinedCount + next.ignoredCount;
    const highDecline = total >= HIGH_DECLINE_MIN_OFFERS && next.declinedCount / total > HIGH_DECLINE_RATE;
    reliabilityDelta = highDecline ? -2 : -1;
  } else {
    const priorTotal = metrics.acceptedCount + metrics.declinedCount + metrics.ignoredCount;
    const priorIgnoreRate = priorTotal ? metrics.ignoredCount / priorTotal : 0;
    next.ignoredCount += 1;
    reliabilityDelta = -(3 + Math.round(5 * priorIgnoreRate));
    setPenalty(IGNORE_PENALTY_POINTS);
  }
  next.reliability = clamp(metrics.reliability + reliabilityDelta, 0, 100);
  if (action !== "ignored" && responseTimeMs != null) {
    const old = metrics.avgResponseTimeMs;
    next.avgResponseTimeMs =
      old == null
        ? Math.round(responseTimeMs)
        : Math.round(RESPONSE_AVERAGE_OLD_WEIGHT * old + (1 - RESPONSE_AVERAGE_OLD_WEIGHT) * responseTimeMs);
  }
  return withRates(next);
}

/** A booking came of an accepted lead (markLeadConverted). */
export function recordDJConversion(metrics: DJMetrics): DJMetrics {
  return withRates({ ...metrics, convertedCount: metrics.convertedCount + 1 });
}

export const RESPONSE_ERROR_CODES = ["NOT_OFFERED", "WINDOW_CLOSED", "ALREADY_RESPONDED", "LEAD_CLOSED"] as const;
export type ResponseErrorCode = (typeof RESPONSE_ERROR_CODES)[number];

export const RESPONSE_ERROR_MESSAGES: Readonly<Record<ResponseErrorCode, string>> = {
  NOT_OFFERED: "This lead was not offered to you.",
  WINDOW_CLOSED: "The time to answer this lead has passed.",
  ALREADY_RESPONDED: "You have already answered this lead.",
  LEAD_CLOSED: "This lead is no longer open.",
};

export interface RespondableAssignment {
  djId: string;
  status: AssignmentStatus;
  windowEndsAt: Date;
  leadState: MarketLeadState;
}

export type CanRespondResult = { ok: true } | { ok: false; code: ResponseErrorCode; message: string };

/**
 * Whether `djId` may answer this offer now. The window is [offered, windowEndsAt): at
 * windowEndsAt it is closed. An accepted lead still takes answers from DJs whose window is
 * open, so the customer can compare several quotes from one phase.
 */
export function canRespond(assignment: RespondableAssignment | null, djId: string, clock: Clock): CanRespondResult {
  const no = (code: ResponseErrorCode): CanRespondResult => ({
    ok: false,
    code,
    message: RESPONSE_ERROR_MESSAGES[code],
  });
  if (!assignment || assignment.djId !== djId) return no("NOT_OFFERED");
  if (assignment.status === "accepted" || assignment.status === "declined") return no("ALREADY_RESPONDED");
  if (assignment.status === "withdrawn" || isTerminalLeadState(assignment.leadState)) return no("LEAD_CLOSED");
  if (assignment.status === "ignored" || clock.now().getTime() >= assignment.windowEndsAt.getTime()) {
    return no("WINDOW_CLOSED");
  }
  return { ok: true };
}

/** The lead's state after a DJ's answer: the first acceptance ends routing; a decline changes nothing. */
export function leadStateAfterResponse(state: MarketLeadState, action: "accepted" | "declined"): MarketLeadState {
  if (action === "declined" || isTerminalLeadState(state)) return state;
  return "accepted";
}
