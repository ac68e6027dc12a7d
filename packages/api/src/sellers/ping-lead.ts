// POST /api/v1/ping: the partial lead goes through the same plan and the same network pings as an
// auction (auction/ping.ts, the same deadlines), and the engine quotes what the source would earn.
// The bids are written with the ping and held until expiresAt; nothing is sold, no buyer POSTed.
//
// The deadline counts from the request's arrival: the loads before the pings eat into the ping
// phase rather than adding to it, and the answer goes out as soon as the quote is known, without
// waiting for the hold's commit (hold-writer.ts writes it, sharing commits; a post of the pingId
// waits for that write).
import { loadPingContext, type NewSellerPing } from "@leadflow/db";
import { pickPayoutRule, planAuction, quotePing, type PayoutRule, type WireLead } from "@leadflow/engine";
import { randomUUID } from "node:crypto";
import type { Services } from "../context";
import { AppError } from "../errors";
import { buyerSet, readCounters } from "../auction/load";
import { performance } from "node:perf_hooks";
import { pingNetworks, pingPhaseMs, type Exchange } from "../auction/ping";
import { heldExchange } from "./held-pings";
import { writeHold } from "./hold-writer";
import { parsePing, type PingAnswer } from "./schemas";

export interface PingTiming {
  /** When the request arrived (performance.now() time); the deadline counts from here. Default: now. */
  arrivedAt?: number;
}

export async function pingLead(
  s: Services,
  sellerOrgId: string,
  body: unknown,
  timing: PingTiming = {},
): Promise<PingAnswer> {
  const arrivedAt = timing.arrivedAt ?? performance.now();
  const input = parsePing(body);
  const ctx = await loadPingContext(s.db, sellerOrgId, input.vertical);
  if (!ctx.verticalOk) {
    throw new AppError("BAD_REQUEST", "The ping is not valid; see fieldErrors.", {
      vertical: [`unknown or inactive vertical "${input.vertical}"`],
    });
  }
  const { rows, buyers, floorCents, netOfReturns } = await buyerSet(s.db, input.vertical, ctx.configVersion);
  const at = s.clock.now();
  // Nobody is known yet, so no duplicate can be; the post's sale re-checks it under lock.
  const counters = await readCounters(s.db, [...rows.values()], at, {}, ctx.balances);
  const pingId = randomUUID();
  const lead = {
    id: pingId,
    vertical: input.vertical,
    zip: input.zip,
    state: input.state ?? null,
    receivedAt: at,
    consent: input.consent,
  };
  const plan = planAuction(lead, buyers, counters, s.clock);
  const wire: WireLead = {
    id: pingId,
    vertical: input.vertical,
    zip: input.zip,
    state: input.state ?? null,
    fields: input.customFields,
    contact: {},
    consent: input.consent,
  };
  const exchanges = new Map<string, Exchange>();
  const deadline = arrivedAt + pingPhaseMs(plan.networks);
  const pings =
    plan.networks.length > 0 ? await pingNetworks(plan.networks, rows, wire, exchanges, s.outbound, deadline) : [];
  const rule = pickPayoutRule(ctx.rules, input.vertical);
  const payoutRule: PayoutRule | null = rule
    ? {
        kind: rule.kind,
        fixedCents: rule.fixedCents,
        shareBp: rule.shareBp,
        marginCents: rule.marginCents,
        minMarginCents: rule.minMarginCents,
      }
    : null;
  const quote = quotePing(
    plan,
    pings,
    { verticalFloorCents: floorCents, consent: input.consent, netOfReturns, zip: input.zip },
    payoutRule,
  );
  // The hold starts when the answer is known, so a seller always gets its full TTL.
  const answeredAt = s.clock.now();
  const expiresAt = new Date(answeredAt.getTime() + ctx.pingTtlSeconds * 1000);
  const hold: NewSellerPing = {
    id: pingId,
    sellerOrgId,
    partial: {
      vertical: input.vertical,
      zip: input.zip,
      state: input.state ?? null,
      consent: input.consent,
      customFields: input.customFields,
    },
    held: pings.map((p) => heldExchange(p.buyerId, exchanges.get(p.buyerId) ?? {}, p)),
    accepted: quote.accepted,
    bestBidCents: quote.bestBidCents,
    payoutCents: quote.accepted ? quote.payoutCents : 0,
    rule: payoutRule ? { ...payoutRule } : null,
    createdAt: answeredAt,
    expiresAt,
  };
  // The answer does not wait for the hold's commit: the hold is queued for the group-committing
  // writer (hold-writer.ts) and a post of this pingId waits until it is durable. A hold whose
  // write fails is logged there and never appears: its post is refused as an unknown ping.
  void writeHold(s.db, hold, s.log);
  s.log.debug({ pingId, accepted: quote.accepted, bestBidCents: quote.bestBidCents }, "seller ping answered");
  return {
    pingId,
    accepted: quote.accepted,
    payoutCents: quote.accepted ? quote.payoutCents : 0,
    expiresAt,
  };
}
