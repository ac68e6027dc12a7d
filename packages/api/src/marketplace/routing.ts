// Phased routing: score the lead, offer it to the best eligible DJs in timed phases, and move it
// on when its phase ends. The lead's due_at is the durable timer: the sweeper (timers.ts) claims a
// batch of due leads FOR UPDATE SKIP LOCKED and moves the whole batch in a few set-based statements
// (expire.ts, startNextPhases); one lead's step (routing, a decline, an explicit timer) is a batch
// of one through the same code. Every move is a compare-and-set on phase_seq.
import {
  advanceMarketLeadPhases,
  cityDateKey,
  claimDueMarketLeads,
  insertMarketLeadEvents,
  insertOffers,
  listOfferedDjIdsForLeads,
  lockCityDates,
  lockDJAvailabilities,
  lockMarketLead,
  selectEligibleDJsForLeads,
  setMarketLeadsDue,
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
  type PhasePlan,
  type PhaseTimer,
  type PhaseTimerDecision,
  type RoutingConfig,
  type TimedRoutingPhase,
} from "@leadflow/engine";
import { AppError } from "../errors";
import { recordDjVerdicts } from "../insight/dj-verdicts";
import { recomputeCityStats } from "./city-stats";
import { asAppError, loadCityStats, recordLeadEvent, type MarketServices } from "./common";
import { lockCityDate } from "./eligibility";
import { expireOpenOffersForLeads } from "./expire";
import { loadCityWindows, loadRoutingConfig, marketTime } from "./settings";
import { queueOfferNotificationsForOffers, sendSoon } from "../notify/send";

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
  return (await startNextPhases(tx, s, [lead], config))[0]!;
}

/**
 * startNextPhase for a batch of leads whose rows (and city/date locks) the caller holds, in a few
 * statements for the whole batch: who was offered each lead, the eligible DJs of every lead (one
 * LATERAL query), the plans (the engine's planNextPhase per lead, in the batch's order, each
 * without the DJs a lead before it on the same date took), every date lock, the compare-and-set
 * of every lead, the offers, their messages and the timeline. Returns each lead's timer (null for
 * the concierge), in the order of `leads`.
 */
export async function startNextPhases(
  tx: Tx,
  s: MarketServices,
  leads: readonly MarketLeadRow[],
  config: RoutingConfig,
): Promise<(TimerToSchedule | null)[]> {
  if (leads.length === 0) return [];
  const now = s.clock.now();
  const cityWindows = await loadCityWindows(tx);
  // Each lead's city's own windows (an operator trying routing in one city), then MARKET_TIME_SCALE.
  const configs = leads.map((l) =>
    scaleRoutingWindows(routingConfigForCity(config, cityWindows, l.city), marketTime.scale),
  );
  const offeredBy = await listOfferedDjIdsForLeads(
    tx,
    leads.map((l) => l.id),
  );
  const onDate = new Map<string, number>();
  for (const l of leads) onDate.set(l.eventDate, (onDate.get(l.eventDate) ?? 0) + 1);
  // No phase can reach past the DJs already offered plus every later phase's size; the slack
  // covers DJs another lead locks between this read and our lock, and each other lead of the
  // batch on the same date may take a phase's worth before this one's turn.
  const eligibleBy = await selectEligibleDJsForLeads(
    tx,
    leads.map((l, i) => {
      const c = configs[i]!;
      const sizes = c.maxExclusiveDJs + c.maxTierExpansionDJs + c.maxBroadcastDJs;
      const mates =
        (onDate.get(l.eventDate)! - 1) * Math.max(c.maxExclusiveDJs, c.maxTierExpansionDJs, c.maxBroadcastDJs);
      return { ...l, leadId: l.id, limit: offeredBy.get(l.id)!.length + sizes + LOCK_SLACK + mates };
    }),
    now,
  );
  // DJs planned for a lead of the batch (or lost to another lead), per date: never planned twice.
  const taken = new Map<string, Set<string>>();
  const takenOn = (date: string) => taken.get(date) ?? taken.set(date, new Set()).get(date)!;
  const plans: PhasePlan[] = [];
  const winners: string[][] = leads.map(() => []);
  const lost = leads.map(() => new Set<string>());
  let pending = leads.map((_, i) => i);
  while (pending.length > 0) {
    const attempts: { i: number; djId: string }[] = [];
    for (const i of pending) {
      const lead = leads[i]!;
      const blocked = takenOn(lead.eventDate);
      const ranked = eligibleBy
        .get(lead.id)!
        .map((e) => e.id)
        .filter((id) => !blocked.has(id));
      const plan = planNextPhase({ phase: lead.phase }, ranked, offeredBy.get(lead.id)!, configs[i]!, s.clock);
      plans[i] = plan;
      if (plan.phase === "concierge") continue;
      for (const djId of plan.offerTo) {
        blocked.add(djId);
        attempts.push({ i, djId });
      }
    }
    const won = await lockDJAvailabilities(
      tx,
      attempts.map(({ i, djId }) => {
        const plan = plans[i] as Extract<PhasePlan, { offerTo: string[] }>;
        return { djId, eventDate: leads[i]!.eventDate, leadId: leads[i]!.id, until: plan.windowEndsAt };
      }),
      now,
    );
    for (const { i, djId } of attempts) {
      if (won.has(`${leads[i]!.id}:${djId}`)) winners[i]!.push(djId);
      else lost[i]!.add(djId);
    }
    // A lead whose every planned DJ was just taken by another lead plans the same phase again without them.
    pending = pending.filter((i) => plans[i]!.phase !== "concierge" && winners[i]!.length === 0);
  }
  const seqOf = (i: number) => leads[i]!.phaseSeq + 1;
  const moved = await advanceMarketLeadPhases(
    tx,
    leads.map((lead, i) => {
      const plan = plans[i]!;
      const ends = plan.phase === "concierge" ? null : plan.windowEndsAt;
      return {
        id: lead.id,
        fromSeq: lead.phaseSeq,
        phase: plan.phase,
        phaseSeq: seqOf(i),
        phaseEndsAt: ends,
        dueAt: ends,
        conciergeReason: plan.phase === "concierge" ? plan.reason : null,
      };
    }),
  );
  if (moved.size !== leads.length) throw new AppError("CONFLICT", "The lead moved on while it was being routed.");
  await insertOffers(
    tx,
    leads.flatMap((lead, i) => {
      const plan = plans[i]!;
      if (plan.phase === "concierge") return [];
      return winners[i]!.map((djId) => ({
        leadId: lead.id,
        djId,
        phase: plan.phase,
        phaseSeq: seqOf(i),
        offeredAt: now,
        windowEndsAt: plan.windowEndsAt,
      }));
    }),
  );
  // Each offered DJ is told on their channels; the messages and their jobs commit with the offers.
  const notifications = await queueOfferNotificationsForOffers(
    tx,
    s,
    leads.flatMap((lead, i) => winners[i]!.map((djId) => ({ leadId: lead.id, djId }))),
    now,
  );
  const events: Parameters<typeof insertMarketLeadEvents>[1][number][] = [];
  const out = leads.map((lead, i): TimerToSchedule | null => {
    const plan = plans[i]!;
    const seq = seqOf(i);
    const event = (kind: string, message: string, data: Record<string, unknown>) =>
      events.push({ leadId: lead.id, at: now, kind, message, data });
    if (plan.skipped.length > 0)
      event("phase_skipped", `Skipped ${plan.skipped.join(", ")}: no eligible DJ left to offer.`, {
        skipped: plan.skipped,
      });
    if (plan.phase === "concierge") {
      const why = plan.reason === "no_eligible_djs" ? "no DJ was eligible" : "no DJ accepted in time";
      event("concierge", `Sent to the concierge team: ${why}.`, { reason: plan.reason, seq });
      s.log.info({ leadId: lead.id, reason: plan.reason }, "lead sent to concierge");
      return null;
    }
    const offered = winners[i]!;
    event(
      "phase_started",
      `${phaseLabel(plan.phase)}: offered to ${offered.length} DJ${offered.length === 1 ? "" : "s"} until ${plan.windowEndsAt.toISOString()}.`,
      {
        phase: plan.phase,
        seq,
        offeredTo: offered,
        candidates: eligibleBy.get(lead.id)!.length,
        passedOverLocked: [...lost[i]!],
      },
    );
    s.log.info({ leadId: lead.id, phase: plan.phase, seq, offered: offered.length }, "phase started");
    return {
      timer: { leadId: lead.id, phase: plan.phase, seq },
      dueAt: plan.windowEndsAt,
      notifications: notifications.get(lead.id) ?? [],
    };
  });
  await insertMarketLeadEvents(tx, events);
  return out;
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

interface TimerOnLockedLead {
  lead: MarketLeadRow;
  timer: PhaseTimer & { leadId: string };
}

/**
 * What phase timers do to leads whose rows the caller has locked, the whole batch at once.
 * checkPhaseTimer turns away stale, repeated and early timers; the leads move with a
 * compare-and-set on phase_seq, so two workers holding the same timer move a lead once. Keeps
 * due_at true: cleared when nothing more is due (offers expired on an accepted lead, lead closed
 * or in concierge), the next window's end when a phase starts; `sweeper` also writes it for early
 * (the window's end) and stale timers (cleared), which an explicit timer leaves as they are.
 * `dates: "try"` leaves out (null) the leads whose (city, date) another step holds right now.
 */
async function transitionLockedLeads(
  tx: Tx,
  s: MarketServices,
  items: readonly TimerOnLockedLead[],
  opts: { config: RoutingConfig | undefined; dates: "wait" | "try"; sweeper: boolean },
): Promise<(TransitionResult | null)[]> {
  const results: (TransitionResult | null)[] = items.map(({ lead, timer }) =>
    checkPhaseTimer({ state: lead.leadState, phaseSeq: lead.phaseSeq, phaseEndsAt: lead.phaseEndsAt }, timer, s.clock),
  );
  const due: { id: string; dueAt: Date | null }[] = [];
  const moving: number[] = [];
  items.forEach(({ lead }, i) => {
    const r = results[i]!;
    if (r.action === "reschedule") {
      if (opts.sweeper) due.push({ id: lead.id, dueAt: r.dueAt });
    } else if (r.action === "ignore") {
      // A stale timer says nothing about the lead's current phase; a closed lead has nothing due.
      if (opts.sweeper || (r.reason !== "superseded" && lead.dueAt)) due.push({ id: lead.id, dueAt: null });
    } else moving.push(i);
  });
  // Frees these leads' dates and takes the next DJs': one step at a time per (city, date).
  const busy = await lockCityDates(
    tx,
    moving.map((i) => items[i]!.lead),
    opts.dates,
  );
  const work = moving.filter((i) => {
    const { city, eventDate } = items[i]!.lead;
    if (!busy.has(cityDateKey(city, eventDate))) return true;
    results[i] = null;
    return false;
  });
  await expireOpenOffersForLeads(
    tx,
    s,
    work.map((i) => items[i]!.lead),
  );
  for (const i of work) if (results[i]!.action === "expire_offers") due.push({ id: items[i]!.lead.id, dueAt: null });
  await setMarketLeadsDue(tx, due);
  const advancing = work.filter((i) => results[i]!.action === "advance");
  if (advancing.length > 0) {
    const next = await startNextPhases(
      tx,
      s,
      advancing.map((i) => items[i]!.lead),
      opts.config ?? (await loadRoutingConfig(tx)),
    );
    for (const [k, i] of advancing.entries()) results[i] = { ...results[i]!, next: next[k] ?? null };
  }
  return results;
}

/** A phase timer for one lead (tests, and a repeated or stale timer's proof): locks the lead and runs it. */
export async function transitionToNextPhase(
  s: MarketServices,
  timer: PhaseTimer & { leadId: string },
  config?: RoutingConfig,
): Promise<TransitionResult> {
  const result = await s.db.transaction(async (tx): Promise<TransitionResult> => {
    const lead = await lockLead(tx, timer.leadId);
    const [r] = await transitionLockedLeads(tx, s, [{ lead, timer }], { config, dates: "wait", sweeper: false });
    return r!;
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

export interface DueTransitionOptions {
  config?: RoutingConfig;
  /** Leads due by this instant (default: the clock's now). */
  before?: Date;
  /** How many due leads one transaction claims (default 1). */
  limit?: number;
  /** Only these leads (the sweeper retrying a failed batch one lead at a time). */
  ids?: readonly string[];
  /**
   * "wait" (default) waits for a (city, date) another step holds; "try" (the sweeper) leaves
   * those leads due for a later pass instead, so two batches never queue behind each other.
   */
  dates?: "wait" | "try";
  onClaim?: (leadIds: string[]) => void;
}

/**
 * The sweeper's step: claims the leads due earliest by `before` (up to `limit`, FOR UPDATE SKIP
 * LOCKED, so workers in any number of processes never take the same lead at once) and runs their
 * phase timers together in the same transaction (transitionLockedLeads). Returns the leads it
 * handled; empty when nothing is due (or, with `dates: "try"`, every claimed lead's date was busy).
 */
export async function runDueTransitions(s: MarketServices, opts: DueTransitionOptions = {}): Promise<DueTransition[]> {
  const done = await s.db.transaction(async (tx): Promise<DueTransition[]> => {
    const leads = await claimDueMarketLeads(tx, {
      now: opts.before ?? s.clock.now(),
      limit: opts.limit ?? 1,
      ...(opts.ids ? { ids: opts.ids } : {}),
    });
    if (leads.length === 0) return [];
    opts.onClaim?.(leads.map((l) => l.id));
    const out: DueTransition[] = [];
    const timed: TimerOnLockedLead[] = [];
    const concierge: string[] = [];
    for (const lead of leads) {
      // The timer is read from the row itself: "superseded" means a state that waits on nothing.
      if (!lead.phase || lead.phase === "concierge") {
        concierge.push(lead.id);
        out.push({ leadId: lead.id, dueAt: lead.dueAt!, result: { action: "ignore", reason: "in_concierge" } });
      } else timed.push({ lead, timer: { leadId: lead.id, phase: lead.phase, seq: lead.phaseSeq } });
    }
    await setMarketLeadsDue(
      tx,
      concierge.map((id) => ({ id, dueAt: null })),
    );
    const results = await transitionLockedLeads(tx, s, timed, {
      config: opts.config,
      dates: opts.dates ?? "wait",
      sweeper: true,
    });
    timed.forEach(({ lead }, i) => {
      const result = results[i];
      if (result) out.push({ leadId: lead.id, dueAt: lead.dueAt!, result });
    });
    return out;
  });
  for (const d of done) {
    s.log.debug({ leadId: d.leadId, action: d.result.action }, "phase timer handled");
    if (d.result.next) await schedulePhaseTimer(s, d.result.next);
  }
  return done;
}

/** One due lead's timer (runDueTransitions with a batch of one); null when nothing is due. */
export async function runDueTransition(
  s: MarketServices,
  opts: Omit<DueTransitionOptions, "limit"> = {},
): Promise<DueTransition | null> {
  return (await runDueTransitions(s, { ...opts, limit: 1 }))[0] ?? null;
}

/**
 * Runs every timer due more than `graceMs` ago, a batch at a time (the proofs' "sweep now"; the
 * workers' sweepers run them continuously). Returns how many leads it handled.
 */
export async function sweepOverdueLeads(s: MarketServices, graceMs = 60_000, batch = 100): Promise<number> {
  let n = 0;
  const before = new Date(s.clock.now().getTime() - graceMs);
  for (;;) {
    const done = await runDueTransitions(s, { before, limit: batch });
    if (done.length === 0) return n;
    n += done.length;
  }
}
