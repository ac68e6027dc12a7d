// The phase timer sweeper's set-based statements (issue 17 item 6): a batch of due leads is claimed
// with one FOR UPDATE SKIP LOCKED and moved on in a few statements over the whole batch, instead of
// about twenty per lead. Each is the many-row form of a one-row query in marketplace.ts; values go
// in as one JSON parameter (jsonb_to_recordset), which both drivers (postgres.js, PGlite) pass alike.
import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import { rowsOf, type DbOrTx, type Tx } from "../client";
import { djs, leadAssignments, marketLeadEvents, marketLeads } from "../schema";
import type { DjRow, MarketLeadRow } from "./marketplace";

/**
 * The sweeper's claim: up to `limit` leads due by `now`, earliest first, locked FOR UPDATE SKIP
 * LOCKED so loops in any number of processes each take different leads and none waits on another
 * (a lead a DJ's answer has locked is taken on a later pass). `ids` narrows it to those leads.
 */
export async function claimDueMarketLeads(
  tx: Tx,
  p: { now: Date; limit: number; ids?: readonly string[] },
): Promise<MarketLeadRow[]> {
  return tx
    .select()
    .from(marketLeads)
    .where(and(lte(marketLeads.dueAt, p.now), ...(p.ids ? [inArray(marketLeads.id, p.ids as string[])] : [])))
    .orderBy(asc(marketLeads.dueAt))
    .limit(p.limit)
    .for("update", { skipLocked: true });
}

/** setMarketLeadDue for many leads in one statement. */
export async function setMarketLeadsDue(tx: DbOrTx, rows: readonly { id: string; dueAt: Date | null }[]) {
  if (rows.length === 0) return;
  const input = JSON.stringify(rows.map((r) => ({ id: r.id, due_at: r.dueAt?.toISOString() ?? null })));
  await tx.execute(sql`
    UPDATE market_leads m SET due_at = x.due_at
    FROM jsonb_to_recordset(${input}::jsonb) AS x(id uuid, due_at timestamptz)
    WHERE m.id = x.id`);
}

/** markOffersIgnored for many leads: their open offers whose window ended by `now` become ignored. */
export async function markOffersIgnoredForLeads(
  tx: Tx,
  leadIds: readonly string[],
  now: Date,
): Promise<{ leadId: string; djId: string }[]> {
  if (leadIds.length === 0) return [];
  return tx
    .update(leadAssignments)
    .set({ status: "ignored" })
    .where(
      and(
        inArray(leadAssignments.leadId, leadIds as string[]),
        eq(leadAssignments.status, "offered"),
        lte(leadAssignments.windowEndsAt, now),
      ),
    )
    .returning({ leadId: leadAssignments.leadId, djId: leadAssignments.djId });
}

/** lockDjRow for many DJs: FOR NO KEY UPDATE, taken in id order (so two batches never wait on each other in a circle). */
export async function lockDjRows(tx: Tx, djIds: readonly string[]): Promise<DjRow[]> {
  if (djIds.length === 0) return [];
  return tx
    .select()
    .from(djs)
    .where(inArray(djs.id, djIds as string[]))
    .orderBy(asc(djs.id))
    .for("no key update");
}

/** What an answer (or its absence) changes on a DJ's row: metrics, rates and the routing score. */
export interface DjMetricsUpdate {
  id: string;
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
  routingScore: number;
  routingComponents: Record<string, number>;
  routingComputedAt: Date;
}

/** updateDj + updateDjRoutingScoreColumns for many DJs in one statement. */
export async function updateDjsMetrics(tx: DbOrTx, rows: readonly DjMetricsUpdate[]): Promise<void> {
  if (rows.length === 0) return;
  const input = JSON.stringify(
    rows.map((r) => ({
      id: r.id,
      reliability: r.reliability,
      penalty: r.penalty,
      penalty_updated_at: r.penaltyUpdatedAt?.toISOString() ?? null,
      avg_response_time_ms: r.avgResponseTimeMs,
      accepted_count: r.acceptedCount,
      declined_count: r.declinedCount,
      ignored_count: r.ignoredCount,
      converted_count: r.convertedCount,
      acceptance_rate: r.acceptanceRate,
      decline_rate: r.declineRate,
      ignore_rate: r.ignoreRate,
      conversion_rate: r.conversionRate,
      routing_score: r.routingScore,
      routing_components: r.routingComponents,
      routing_computed_at: r.routingComputedAt.toISOString(),
    })),
  );
  await tx.execute(sql`
    UPDATE djs d SET
      reliability = x.reliability, penalty = x.penalty, penalty_updated_at = x.penalty_updated_at,
      avg_response_time_ms = x.avg_response_time_ms, accepted_count = x.accepted_count,
      declined_count = x.declined_count, ignored_count = x.ignored_count, converted_count = x.converted_count,
      acceptance_rate = x.acceptance_rate, decline_rate = x.decline_rate, ignore_rate = x.ignore_rate,
      conversion_rate = x.conversion_rate, routing_score = x.routing_score,
      routing_components = x.routing_components, routing_computed_at = x.routing_computed_at
    FROM jsonb_to_recordset(${input}::jsonb) AS x(
      id uuid, reliability int, penalty numeric, penalty_updated_at timestamptz, avg_response_time_ms bigint,
      accepted_count int, declined_count int, ignored_count int, converted_count int,
      acceptance_rate numeric, decline_rate numeric, ignore_rate numeric, conversion_rate numeric,
      routing_score numeric, routing_components jsonb, routing_computed_at timestamptz)
    WHERE d.id = x.id`);
}

/** listOfferedDjIds for many leads: every DJ each lead was ever offered to (any status). */
export async function listOfferedDjIdsForLeads(tx: DbOrTx, leadIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>(leadIds.map((id) => [id, []]));
  if (leadIds.length === 0) return out;
  const rows = await tx
    .select({ leadId: leadAssignments.leadId, djId: leadAssignments.djId })
    .from(leadAssignments)
    .where(inArray(leadAssignments.leadId, leadIds as string[]));
  for (const r of rows) out.get(r.leadId)?.push(r.djId);
  return out;
}

/** What a lead's next phase (or the concierge) writes on its row. */
export interface PhaseAdvance {
  id: string;
  fromSeq: number;
  phase: NonNullable<MarketLeadRow["phase"]>;
  phaseSeq: number;
  phaseEndsAt: Date | null;
  dueAt: Date | null;
  conciergeReason: string | null;
}

/**
 * advanceMarketLeadPhase for many leads in one statement: each moves only if its phase_seq is
 * still `fromSeq` (compare-and-set). Returns the ids that moved. The lead's state is its phase.
 */
export async function advanceMarketLeadPhases(tx: Tx, rows: readonly PhaseAdvance[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const input = JSON.stringify(
    rows.map((r) => ({
      id: r.id,
      from_seq: r.fromSeq,
      phase: r.phase,
      phase_seq: r.phaseSeq,
      phase_ends_at: r.phaseEndsAt?.toISOString() ?? null,
      due_at: r.dueAt?.toISOString() ?? null,
      concierge_reason: r.conciergeReason,
    })),
  );
  const moved = await tx.execute(sql`
    UPDATE market_leads m SET
      state = x.phase::text::market_lead_state, phase = x.phase::routing_phase, phase_seq = x.phase_seq,
      phase_ends_at = x.phase_ends_at, due_at = x.due_at, concierge_reason = x.concierge_reason
    FROM jsonb_to_recordset(${input}::jsonb) AS x(
      id uuid, from_seq int, phase text, phase_seq int, phase_ends_at timestamptz, due_at timestamptz, concierge_reason text)
    WHERE m.id = x.id AND m.phase_seq = x.from_seq
    RETURNING m.id`);
  return new Set(rowsOf<{ id: string }>(moved).map((r) => r.id));
}

/** Timeline entries of many leads in one statement, in the order given (their seq follows it). */
export async function insertMarketLeadEvents(
  db: DbOrTx,
  events: readonly { leadId: string; at: Date; kind: string; message: string; data: Record<string, unknown> }[],
): Promise<void> {
  if (events.length === 0) return;
  await db.insert(marketLeadEvents).values(events as (typeof marketLeadEvents.$inferInsert)[]);
}
