import type { Clock } from "../clock";
import { OFFERABLE_AVAILABILITY_STATUSES, type AvailabilityStatus, type DJEligibilityRule } from "./enums";
import type { CityStats } from "./city-stats";
import { isOneOf } from "./units";
import { rankDJs, type RankedDJ, type RoutingScoreDj, type RoutingScoreOptions } from "./routing-score";

export const MIN_RELIABILITY = 50;

export interface DJEligibilityInput {
  id: string;
  isActive: boolean;
  isSuspended: boolean;
  cooldownUntil: Date | null;
  reliability: number;
  priceMinCents: number;
  priceMaxCents: number;
}

export interface DJEligibilityLead {
  id: string;
  /** A missing bound is open: no minimum means 0, no maximum means any price. */
  budgetMinCents: number | null;
  budgetMaxCents: number | null;
}

/** The dj_availability row for the event date, or null when the DJ has entered nothing for it. */
export interface AvailabilityOnDate {
  status: AvailabilityStatus;
  lockedByLeadId: string | null;
  lockedUntil: Date | null;
  /** The lead the DJ accepted for this date (held until the couple books or the lead closes). */
  heldByLeadId?: string | null;
}

export interface DJEligibilityFailure {
  rule: DJEligibilityRule;
  detail: string;
}

export interface DJEligibilityResult {
  eligible: boolean;
  failures: DJEligibilityFailure[];
}

/**
 * The reference for the SQL filter (README has the WHERE clause) and for replay; every failing
 * rule is listed, not just the first, so an admin sees all reasons a DJ was skipped.
 * - No availability row counts as available: DJs mark the dates they cannot work, and a calendar
 *   that must be filled day by day would exclude every new DJ.
 * - A lock blocks until lockedUntil (exclusive): at that instant it has expired. A lock held by
 *   this same lead does not block, so re-checking a lead keeps the DJ it has locked.
 * - A date held for another lead (the DJ accepted it; issue 17) blocks with no end time: the hold
 *   ends only when that couple books someone or that lead closes. A hold of this lead does not block.
 */
export function checkDJEligibility(
  dj: DJEligibilityInput,
  lead: DJEligibilityLead,
  availabilityOnDate: AvailabilityOnDate | null,
  clock: Clock,
): DJEligibilityResult {
  const now = clock.now().getTime();
  const failures: DJEligibilityFailure[] = [];
  const fail = (rule: DJEligibilityRule, detail: string) => failures.push({ rule, detail });

  if (availabilityOnDate && !isOneOf(OFFERABLE_AVAILABILITY_STATUSES, availabilityOnDate.status)) {
    fail("availability", `Marked ${availabilityOnDate.status} on the event date.`);
  }
  const lock = availabilityOnDate;
  if (lock?.lockedUntil && lock.lockedUntil.getTime() > now && lock.lockedByLeadId !== lead.id) {
    fail("availability_lock", `Held for another lead until ${lock.lockedUntil.toISOString()}.`);
  }
  if (lock?.heldByLeadId && lock.heldByLeadId !== lead.id) {
    fail("date_held", "The DJ accepted another inquiry for this date; it is held until that couple books or closes.");
  }
  const leadMin = lead.budgetMinCents ?? 0;
  const leadMax = lead.budgetMaxCents ?? Number.POSITIVE_INFINITY;
  if (!(dj.priceMinCents <= leadMax && dj.priceMaxCents >= leadMin)) {
    fail("price_overlap", "The DJ's price range does not overlap the customer's budget.");
  }
  if (!(dj.reliability >= MIN_RELIABILITY)) {
    fail("reliability", `Reliability ${dj.reliability} is below ${MIN_RELIABILITY}.`);
  }
  if (!dj.isActive) fail("active", "The DJ's profile is not active.");
  if (dj.isSuspended) fail("suspended", "The DJ is suspended.");
  // Cooldown ends at cooldownUntil: at that instant the DJ is eligible again.
  if (dj.cooldownUntil && dj.cooldownUntil.getTime() > now) {
    fail("cooldown", `Cooling down until ${dj.cooldownUntil.toISOString()}.`);
  }
  return { eligible: failures.length === 0, failures };
}

export interface DJEligibilityCandidate {
  dj: DJEligibilityInput & RoutingScoreDj;
  availability: AvailabilityOnDate | null;
}

/**
 * Filter then rank: what getEligibleDJs does in SQL, in memory, for replay and for checking
 * the SQL against it in tests.
 */
export function selectEligibleDJs(
  candidates: readonly DJEligibilityCandidate[],
  lead: DJEligibilityLead,
  cityStats: CityStats | null,
  clock: Clock,
  options: RoutingScoreOptions = {},
): RankedDJ[] {
  const eligible = candidates.filter((c) => checkDJEligibility(c.dj, lead, c.availability, clock).eligible);
  return rankDJs(
    eligible.map((c) => c.dj),
    cityStats,
    clock,
    options,
  );
}
