// The bids a ping collected, held for its post. The post's auction runs the engine's runAuction
// with these as its ping port: the same ranking and cascade, no second ping.
import type { HeldExchange } from "@leadflow/db";
import type { NetworkBuyer, PingRecord } from "@leadflow/engine";
import type { Exchange } from "../auction/ping";

export interface HeldPings {
  pingId: string;
  held: readonly HeldExchange[];
  /** The rule the ping was quoted with (a PayoutRule), so the post is paid by it. */
  rule: Record<string, unknown> | null;
}

/** The exchange a ping recorded, as the network's row keeps it. */
export function heldExchange(buyerId: string, ex: Exchange, rec: PingRecord): HeldExchange {
  const h: HeldExchange = { buyerId, pingId: ex.pingId ?? "", outcome: rec.outcome };
  if (rec.bidCents !== undefined) h.bidCents = rec.bidCents;
  if (rec.latencyMs !== undefined) h.latencyMs = rec.latencyMs;
  if (rec.detail !== undefined) h.detail = rec.detail;
  h.request = ex.request ?? null;
  h.response = ex.response ?? null;
  h.error = ex.error ?? null;
  return h;
}

/**
 * The ping port of a post: each network the post's plan includes answers as it did at the ping,
 * and its exchange (ping id, bodies) is restored so its POST names the ping it bid on. A network
 * eligible now but not then (a change in between) was never asked: it counts as no bid.
 */
export function replayHeldPings(
  networks: readonly NetworkBuyer[],
  held: HeldPings,
  exchanges: Map<string, Exchange>,
): PingRecord[] {
  const byId = new Map(held.held.map((h) => [h.buyerId, h]));
  return networks.map((n) => {
    const h = byId.get(n.id);
    if (!h) {
      const detail = "not pinged: it was not eligible when the seller pinged";
      exchanges.set(n.id, { pingOutcome: "NO_BID", pingDetail: detail });
      return { buyerId: n.id, outcome: "NO_BID", detail };
    }
    exchanges.set(n.id, {
      pingId: h.pingId,
      request: h.request ?? null,
      response: h.response ?? null,
      latencyMs: h.latencyMs ?? 0,
      pingOutcome: h.outcome,
      ...(h.detail !== undefined ? { pingDetail: h.detail } : {}),
      error: h.error ?? null,
    });
    const rec: PingRecord = { buyerId: n.id, outcome: h.outcome, latencyMs: h.latencyMs ?? 0 };
    if (h.bidCents !== undefined) rec.bidCents = h.bidCents;
    if (h.detail !== undefined) rec.detail = h.detail;
    return rec;
  });
}
