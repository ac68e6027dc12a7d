import type { Clock } from "../clock";
import { EVENT_TYPES, type EventType } from "./enums";
import { MarketplaceError } from "./errors";
import { calculateFormCompleteness, missingFormFields, type MarketLeadInput } from "./form-completeness";
import { referenceMedianCents, type CityStats } from "./city-stats";
import { assertCents, daysUntil, isOneOf, round1 } from "./units";
import { formatCents } from "../auction/money";

export const LEAD_SCORE_MAX = { budget: 30, urgency: 25, completeness: 15, demand: 20, eventType: 10 } as const;

/** Budget midpoint as a percentage of the city median; first band whose floor is met wins. */
export const BUDGET_BANDS = [
  { minPercentOfMedian: 120, points: 30 },
  { minPercentOfMedian: 100, points: 25 },
  { minPercentOfMedian: 80, points: 20 },
  { minPercentOfMedian: 60, points: 15 },
  { minPercentOfMedian: 0, points: 10 },
] as const;
/** No median yet: the middle of 10-30, so a new city neither helps nor hurts a lead. */
export const BUDGET_NEUTRAL_POINTS = 20;
/** No budget given: the floor, since the lead tells a DJ nothing about what it can pay. */
export const BUDGET_MISSING_POINTS = 10;

/** Days to the event; bands include their lower edge, and ">180" starts at 181. */
export const URGENCY_BANDS = [
  { minDays: 181, points: 8 },
  { minDays: 90, points: 12 },
  { minDays: 60, points: 15 },
  { minDays: 30, points: 20 },
  { minDays: 0, points: 25 },
] as const;

export const EVENT_TYPE_POINTS: Readonly<Record<EventType, number>> = {
  wedding: 10,
  corporate: 8,
  private_party: 7,
  birthday: 6,
  school_dance: 6,
  anniversary: 6,
  other: 5,
};

/** No tension figure yet: half of 0-20. */
export const DEMAND_NEUTRAL_POINTS = 10;

export type LeadScoreComponents = {
  budget: number;
  urgency: number;
  completeness: number;
  demand: number;
  eventType: number;
};

export interface LeadScore {
  total: number;
  components: LeadScoreComponents;
  explanations: Record<keyof LeadScoreComponents, string>;
}

export function budgetPoints(lead: MarketLeadInput, medianCents: number | null): { points: number; why: string } {
  const { budgetMinCents: min, budgetMaxCents: max } = lead;
  if (min == null && max == null) return { points: BUDGET_MISSING_POINTS, why: "No budget given." };
  // Twice the midpoint keeps the comparison in whole cents: no half cents, no float edges.
  const twiceMid = min != null && max != null ? min + max : 2 * (min ?? max ?? 0);
  const mid = formatCents(Math.round(twiceMid / 2), { trimZeroCents: true });
  if (medianCents == null || medianCents === 0) {
    return { points: BUDGET_NEUTRAL_POINTS, why: `Budget around ${mid}; no price history for this city yet.` };
  }
  const band = BUDGET_BANDS.find((b) => twiceMid * 100 >= 2 * medianCents * b.minPercentOfMedian);
  const diff = Math.round(((twiceMid / 2 - medianCents) / medianCents) * 100);
  const relation = diff === 0 ? "at" : diff > 0 ? `${diff}% above` : `${-diff}% below`;
  return {
    points: band?.points ?? BUDGET_MISSING_POINTS,
    why: `Budget around ${mid} is ${relation} the city median of ${formatCents(medianCents, { trimZeroCents: true })}.`,
  };
}

export function urgencyPoints(days: number): number {
  if (days < 0) throw new MarketplaceError("EVENT_IN_PAST", "The event date has already passed.", "eventDate");
  return URGENCY_BANDS.find((b) => days >= b.minDays)?.points ?? 25;
}

/** Demand points are linear in market tension (0-1): a tight market makes every lead worth more. */
export function demandPoints(tension: number | null): number {
  if (tension == null || !Number.isFinite(tension)) return DEMAND_NEUTRAL_POINTS;
  return round1(LEAD_SCORE_MAX.demand * Math.min(1, Math.max(0, tension)));
}

function validate(lead: MarketLeadInput): void {
  if (!isOneOf(EVENT_TYPES, lead.eventType)) {
    throw new MarketplaceError("INVALID_INPUT", "Choose one of the listed event types.", "eventType");
  }
  if (lead.budgetMinCents != null) assertCents(lead.budgetMinCents, "budgetMinCents");
  if (lead.budgetMaxCents != null) assertCents(lead.budgetMaxCents, "budgetMaxCents");
  if (lead.budgetMinCents != null && lead.budgetMaxCents != null && lead.budgetMinCents > lead.budgetMaxCents) {
    throw new MarketplaceError("INVALID_INPUT", "The budget's minimum is above its maximum.", "budgetMinCents");
  }
}

/** Scores a lead 0-100 from five components; throws MarketplaceError on input a form should reject. */
export function calculateLeadScore(lead: MarketLeadInput, cityStats: CityStats | null, clock: Clock): LeadScore {
  validate(lead);
  const days = daysUntil(lead.eventDate, clock.now());
  const urgency = urgencyPoints(days);
  const budget = budgetPoints(lead, cityStats ? referenceMedianCents(cityStats) : null);
  const completenessShare = calculateFormCompleteness(lead);
  const completeness = round1(LEAD_SCORE_MAX.completeness * completenessShare);
  const tension = cityStats?.marketTension ?? null;
  const demand = demandPoints(tension);
  const eventType = EVENT_TYPE_POINTS[lead.eventType];
  const components = { budget: budget.points, urgency, completeness, demand, eventType };
  const missing = missingFormFields(lead);
  const ratio = cityStats?.demandSupplyRatio;
  return {
    total: round1(budget.points + urgency + completeness + demand + eventType),
    components,
    explanations: {
      budget: budget.why,
      urgency: days === 0 ? "The event is today." : `The event is ${days} day${days === 1 ? "" : "s"} away.`,
      completeness:
        `Form ${Math.round(completenessShare * 100)}% complete` +
        (missing.length ? `; missing ${missing.join(", ")}.` : "."),
      demand:
        tension == null
          ? "No demand data for this city yet."
          : `Market ${cityStats?.tensionBand ?? "tension"}` +
            (ratio != null ? `: ${round1(ratio)} leads per available DJ in 30 days.` : ": no DJs available."),
      eventType: `${capitalize(lead.eventType.replace("_", " "))} events score ${eventType} of ${LEAD_SCORE_MAX.eventType}.`,
    },
  };
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
