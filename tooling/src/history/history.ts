// Recorded-looking auction history for the demo seed, the benchmark and the analytics tests:
// leads with their per-buyer transactions, timeline events and contractor deliveries, following
// the engine's rules (pings with latencies and timeouts, bids below a buyer's minimum set aside,
// a POST cascade in bid order, contractors taking leads the networks did not buy, exclusively or
// shared). Deterministic for a seed. The rows are inserted by the caller (multi-row inserts for
// the seed, COPY for the benchmark); nothing here pretends to be a live auction.
import { mulberry32 } from "@leadflow/buyer-sim";
import {
  deliveries as deliveriesT,
  leadEvents as eventsT,
  leads as leadsT,
  transactions as txT,
  type DbOrTx,
} from "@leadflow/db";
import type { DeliveryMethod, DeliveryMode, LostReason, PingOutcome } from "@leadflow/engine";
import { randomUUID } from "node:crypto";

export interface HistoryBuyer {
  id: string;
  type: "NETWORK" | "CONTRACTOR";
  verticals: readonly string[];
  minBidCents: number;
  pingTimeoutMs: number;
  deliveryMode: DeliveryMode;
  maxSharedLeads: number;
  priceCents: number;
  methods: readonly DeliveryMethod[];
}

export interface HistoryOptions {
  sellerOrgId: string;
  buyers: readonly HistoryBuyer[];
  verticals: readonly { key: string; floorCents: number }[];
  zips: readonly string[];
  from: Date;
  to: Date;
  leads: number;
  seed?: number;
}

export type LeadInsert = typeof leadsT.$inferInsert & { id: string };
export type TxInsert = typeof txT.$inferInsert;
export type EventInsert = Omit<typeof eventsT.$inferInsert, "id">;
export type DeliveryInsert = typeof deliveriesT.$inferInsert;

export interface HistoryLead {
  lead: LeadInsert;
  transactions: TxInsert[];
  events: EventInsert[];
  deliveries: DeliveryInsert[];
}

const FIRST = ["Ava", "Ben", "Cara", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivan", "Jo"];
const LAST = ["Reed", "Shaw", "Tate", "Urban", "Vale", "West", "Young", "Zane"];
const REJECTIONS: LostReason[] = [
  "POST_REJECTED",
  "POST_REJECTED",
  "POST_REJECTED",
  "DUPLICATE_LEAD",
  "CAP_REACHED",
  "OUTSIDE_HOURS",
];

export function* generateHistory(o: HistoryOptions): Generator<HistoryLead> {
  const rnd = mulberry32(o.seed ?? 42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const span = o.to.getTime() - o.from.getTime();
  const byVertical = new Map(o.verticals.map((v) => [v.key, o.buyers.filter((b) => b.verticals.includes(v.key))]));
  for (let n = 0; n < o.leads; n++) {
    const vertical = pick(o.verticals);
    const receivedAt = new Date(o.from.getTime() + Math.floor(rnd() * span));
    const at = new Date(receivedAt.getTime() + 40);
    const done = new Date(at.getTime() + 900);
    const leadId = randomUUID();
    const lead: LeadInsert = {
      id: leadId,
      sellerOrgId: o.sellerOrgId,
      vertical: vertical.key,
      zip: pick(o.zips),
      contact: { firstName: pick(FIRST), lastName: pick(LAST) },
      receivedAt,
      processingAt: at,
      finishedAt: done,
      status: "UNSOLD",
    };
    const txs: TxInsert[] = [];
    const events: EventInsert[] = [];
    const dels: DeliveryInsert[] = [];
    const out: HistoryLead = { lead, transactions: txs, events, deliveries: dels };
    if (rnd() < 0.02) {
      lead.status = "REJECTED";
      lead.processingAt = null;
      events.push({ leadId, at: receivedAt, kind: "rejected", buyerId: null, data: { reason: "failed validation" } });
      yield out;
      continue;
    }
    const pool = byVertical.get(vertical.key) ?? [];
    const networks = pool.filter((b) => b.type === "NETWORK" && rnd() < 0.85);
    const contractors = pool.filter((b) => b.type === "CONTRACTOR" && rnd() < 0.7);
    const tx = new Map<string, TxInsert>();
    const bids: { b: HistoryBuyer; cents: number }[] = [];
    for (const b of networks) {
      const r = rnd();
      const outcome: PingOutcome = r < 0.07 ? "TIMEOUT" : r < 0.1 ? "ERROR" : r < 0.28 ? "NO_BID" : "BID";
      const latencyMs =
        outcome === "TIMEOUT"
          ? b.pingTimeoutMs
          : Math.min(b.pingTimeoutMs - 1, Math.round(Math.exp(Math.log(220) + 0.6 * (rnd() + rnd() + rnd() - 1.5))));
      const row: TxInsert = { leadId, buyerId: b.id, kind: "PING", pingOutcome: outcome, latencyMs, createdAt: at };
      if (outcome === "TIMEOUT")
        Object.assign(row, { lostReason: "TIMEOUT", detail: `no answer within ${b.pingTimeoutMs} ms` });
      else if (outcome === "ERROR") Object.assign(row, { lostReason: "NO_BID", error: "HTTP 502", detail: "error" });
      else if (outcome === "NO_BID") Object.assign(row, { lostReason: "NO_BID", detail: "no_bid" });
      else {
        const cents = Math.max(100, Math.round((vertical.floorCents + rnd() * vertical.floorCents * 2) / 25) * 25);
        row.bidCents = cents;
        if (cents < b.minBidCents)
          Object.assign(row, { lostReason: "BELOW_MIN_BID", detail: "below the buyer's minimum bid" });
        else if (rnd() < 0.03)
          Object.assign(row, { lostReason: "COMPLIANCE_MISSING", detail: "consent certificate missing" });
        else bids.push({ b, cents });
      }
      tx.set(b.id, row);
      events.push({
        leadId,
        at,
        kind: "ping",
        buyerId: b.id,
        data: { outcome, latencyMs, bidCents: row.bidCents ?? null },
      });
    }
    bids.sort((x, y) => y.cents - x.cents);
    let winner: { b: HistoryBuyer; cents: number } | null = null;
    let position = 0;
    for (const bid of bids) {
      const row = tx.get(bid.b.id)!;
      if (winner) {
        Object.assign(row, { lostReason: "OUTBID", winningBidAmountCents: winner.cents, detail: "outbid" });
        continue;
      }
      position++;
      const accepted = rnd() < 0.72;
      Object.assign(row, { kind: "POST", cascadePosition: position, postLatencyMs: 80 + Math.floor(rnd() * 400) });
      if (accepted) {
        winner = bid;
        Object.assign(row, {
          isWinner: true,
          priceCents: bid.cents,
          deliveryMethod: "WEBHOOK",
          detail: `accepted at cascade position ${position}`,
        });
      } else Object.assign(row, { lostReason: pick(REJECTIONS), detail: `rejected at cascade position ${position}` });
      events.push({
        leadId,
        at: done,
        kind: "cascade_step",
        buyerId: bid.b.id,
        data: { position, accepted, bidCents: bid.cents },
      });
    }
    // Losers of a sold lead learn what the winner paid; the ones rejected before the sale too.
    if (winner)
      for (const row of tx.values())
        if (!row.isWinner && row.bidCents != null) row.winningBidAmountCents = winner.cents;
    let revenue = winner?.cents ?? 0;
    let winners = winner ? 1 : 0;
    if (!winner && contractors.length > 0) {
      const order = [...contractors].sort(() => rnd() - 0.5);
      const mode = order[0]!.deliveryMode;
      const slots = mode === "EXCLUSIVE" ? 1 : Math.max(1, order[0]!.maxSharedLeads);
      order.forEach((c, i) => {
        if (i < slots) {
          winners++;
          revenue += c.priceCents;
          tx.set(c.id, {
            leadId,
            buyerId: c.id,
            kind: "DIRECT",
            bidCents: c.priceCents,
            isWinner: true,
            priceCents: c.priceCents,
            createdAt: at,
            detail: `${mode === "SHARED" ? "shared" : "exclusive"} delivery`,
          });
          events.push({
            leadId,
            at: done,
            kind: "direct_claim",
            buyerId: c.id,
            data: { mode, position: i + 1, priceCents: c.priceCents, accepted: true },
          });
          const methods = c.methods.length > 0 ? c.methods : (["DASHBOARD"] as const);
          methods.forEach((method, k) => {
            const dead = method === "WEBHOOK" && rnd() < 0.06;
            const attempts = method !== "WEBHOOK" ? 1 : dead ? 9 : 1 + Math.floor(rnd() * 2);
            dels.push({
              leadId,
              buyerId: c.id,
              method,
              status: dead ? "dead" : "delivered",
              attempts,
              webhookId: `msg_${randomUUID()}`,
              createdAt: done,
              deliveredAt: dead ? null : done,
              lastError: dead ? "HTTP 500" : null,
            });
            if (k === 0 && !dead) tx.get(c.id)!.deliveryMethod = method;
          });
        } else {
          tx.set(c.id, {
            leadId,
            buyerId: c.id,
            kind: "DIRECT",
            lostReason: mode === "EXCLUSIVE" ? "EXCLUSIVE_TAKEN" : "NOT_SELECTED",
            createdAt: at,
            detail: "another contractor took it",
          });
        }
      });
    }
    lead.status = winners > 0 ? "SOLD" : "UNSOLD";
    lead.revenueCents = revenue;
    lead.winnerCount = winners;
    lead.unsoldReason =
      position > 0 && !winner
        ? "CASCADE_EXHAUSTED"
        : winners > 0
          ? null
          : networks.length + contractors.length === 0
            ? "NO_ELIGIBLE_BUYERS"
            : "NO_VALID_BIDS";
    txs.push(...tx.values());
    events.push({
      leadId,
      at: done,
      kind: "outcome",
      buyerId: null,
      data: { status: lead.status, unsoldReason: lead.unsoldReason ?? null, revenueCents: revenue },
    });
    yield out;
  }
}

/** Inserts generated history with multi-row inserts, `batch` leads at a time; returns the counts. */
export async function insertHistory(
  db: DbOrTx,
  history: Iterable<HistoryLead>,
  opts: { batch?: number; progress?: (leads: number, transactions: number) => void } = {},
): Promise<{ leads: number; transactions: number }> {
  const size = opts.batch ?? 200;
  let buf: HistoryLead[] = [];
  let nLeads = 0;
  let nTx = 0;
  const flush = async () => {
    if (buf.length === 0) return;
    const chunk = buf;
    buf = [];
    await db.transaction(async (tx) => {
      await tx.insert(leadsT).values(chunk.map((h) => h.lead));
      const t = chunk.flatMap((h) => h.transactions);
      for (let i = 0; i < t.length; i += 1000) await tx.insert(txT).values(t.slice(i, i + 1000));
      const e = chunk.flatMap((h) => h.events);
      for (let i = 0; i < e.length; i += 1000) await tx.insert(eventsT).values(e.slice(i, i + 1000));
      const d = chunk.flatMap((h) => h.deliveries);
      if (d.length > 0) await tx.insert(deliveriesT).values(d);
      nLeads += chunk.length;
      nTx += t.length;
    });
    opts.progress?.(nLeads, nTx);
  };
  for (const h of history) {
    buf.push(h);
    if (buf.length >= size) await flush();
  }
  await flush();
  return { leads: nLeads, transactions: nTx };
}
