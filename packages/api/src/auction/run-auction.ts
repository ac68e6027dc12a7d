// runAuction (the service): takes a RECEIVED lead through the engine's conductAuction with real
// ports (HTTP pings and POSTs, sale claims in locked transactions) and writes what happened.
// The lead enters PROCESSING by a conditional update and leaves it exactly once: by finalize, or,
// if anything throws, by the finally block, so no lead is ever left PROCESSING.
import { notifyLowBalances } from "../billing";
import { insertLeadEvent, startReceivedLeads, type Balances, type ScreenHits, type StartedRow } from "@leadflow/db";
import {
  buildBuyerRequest,
  parsePostResponse,
  postFailure,
  carriedConsent,
  claimsBeforeAuction,
  conductAuction as decide,
  screenedFor,
  SALE_RULE_REASONS,
  type Buyer,
  type LeadOutcome,
  type PostResult,
  type WireLead,
} from "@leadflow/engine";
import { performance } from "node:perf_hooks";
import type { Services } from "../context";
import { claimConsent, consentWithClaims, hasConsentProvider } from "../compliance/consent/claim";
import { dispatchDeliveries } from "./delivery";
import { endLeftLead } from "./sweep";
import { finalizeLead, LeadAlreadyFinished, type TimelineEvent } from "./finalize";
import { cap, errorText, postJson } from "./http";
import { checkLitigator } from "../compliance/litigator/check";
import { screenLead } from "../compliance/suppression/screen";
import { buyerSet, readCounters, type AuctionLeadRow, type BuyerRow, type PersonSales } from "./load";
import { cut, pingNetworks, type Exchange } from "./ping";
import { claimSale, releaseSale, type SaleClaim } from "./sale";
import { replayHeldPings, type HeldPings } from "../sellers/held-pings";
import { postPayout, recordPayout } from "../sellers/record-payout";
import { dispatchSellerEvents } from "../sellers/webhook-delivery";

export const POST_TIMEOUT_MS = 5000;

export interface AuctionRun {
  leadId: string;
  /** false when the lead was not RECEIVED (already run or running elsewhere). */
  ran: boolean;
  outcome: LeadOutcome | null;
  /** Where the time went (ms): for logs and the benchmark. */
  timings?: Timings;
  /** What the seller earned (sellers/record-payout.ts), when it sold. */
  payoutCents?: number;
}

export interface Timings {
  load: number;
  ping: number;
  sale: number;
  finalize: number;
  deliver: number;
  total: number;
}

/** A lead already in PROCESSING, as the statement that put it there returned it. */
export interface StartedLead {
  lead: AuctionLeadRow;
  /** leads.auction_attempt as this start set it: sales and the result are refused once it moves on. */
  attempt: number;
  configVersion: number;
  bought: PersonSales;
  /** What the suppression lists and the DNC registry say of the person (null: screenLead asks). */
  screen?: ScreenHits | null;
  /** The balances of the vertical's money-keeping buyers, read by the start (balancesSql). */
  balances?: Balances;
}

/**
 * Runs the auction of a RECEIVED lead (entering PROCESSING here), or of one the caller already
 * started in the statement that wrote it (`started`, createLead's { start: true }).
 */
export async function runAuction(
  s: Services,
  leadId: string,
  given?: StartedLead,
  held?: HeldPings,
): Promise<AuctionRun> {
  const log = s.log.child({ leadId });
  const started = given ?? (await startLead(s, leadId));
  if (!started) return { leadId, ran: false, outcome: null };
  let finished = false;
  try {
    const timings: Timings = { load: 0, ping: 0, sale: 0, finalize: 0, deliver: 0, total: 0 };
    const { outcome, payout, sellerHook } = await auction(s, started, timings, held);
    finished = true;
    log.debug({ timings }, "auction done");
    // A post's payout was written with its result; a direct lead's is written now, by its source's rule.
    const payoutCents = held
      ? (payout?.amount ?? 0)
      : await recordPayout(s, leadId, outcome).catch((err: unknown) => {
          log.error({ err }, "could not record the seller's payout");
          return 0;
        });
    await claimAtSale(s, started, outcome).catch((err: unknown) =>
      log.error({ err }, "could not claim the lead's consent evidence after the sale"),
    );
    // The seller's lead.sold / lead.unsold (written by a trigger as the lead ended), now that its
    // payout is; only a seller with a webhook has any (finalize's statement says which).
    if (sellerHook) await dispatchSellerEvents(s, leadId);
    return { leadId, ran: true, outcome, timings, payoutCents };
  } catch (err) {
    if (err instanceof LeadAlreadyFinished) {
      // Another path ended the lead or started it again (this process was thought dead): that
      // path records what happened; this run's result is dropped and it sold nothing.
      log.warn({ err, attempt: started.attempt }, "the lead moved on without this run; its result is dropped");
      finished = true;
      return { leadId, ran: true, outcome: null };
    }
    log.error({ err }, "auction failed; ending the lead");
    await insertLeadEvent(s.db, { leadId, at: s.clock.now(), kind: "error", data: { error: errorText(err) } }).catch(
      () => undefined,
    );
    return { leadId, ran: true, outcome: null };
  } finally {
    // Whatever failed: the lead ends with what was sold, and contractors whose sale was written
    // get the deliveries they are charged for (finalize, which would have written them, did not).
    if (!finished) {
      await endLeftLead(
        s,
        leadId,
        "the auction failed (see the error above); ended with what was sold",
        started.attempt,
      )
        .then((owed) => dispatchDeliveries(s, owed))
        .catch((err: unknown) => log.error({ err }, "could not end the lead"));
    }
  }
}

/**
 * One statement: the lead enters PROCESSING, without waiting for the disk (the sale or finalize
 * commit that follows flushes it, commit.ts), and says which buyer configuration is current and
 * who bought this person before.
 */
async function startLead(s: Services, leadId: string): Promise<StartedLead | null> {
  return (await startLeads(s, [leadId])).get(leadId) ?? null;
}

/** startLead for many leads in one statement (a worker's batch); the map has those that were RECEIVED. */
export async function startLeads(s: Services, leadIds: readonly string[]): Promise<Map<string, StartedLead>> {
  if (leadIds.length === 0) return new Map();
  return startedMap(await startReceivedLeads(s.db, leadIds, s.clock.now(), s.lease?.owner ?? null));
}

export function startedMap(rows: StartedRow[]): Map<string, StartedLead> {
  return new Map(
    rows.map((r) => [
      r.lead.id,
      {
        lead: r.lead,
        attempt: r.attempt,
        configVersion: r.configVersion,
        bought: r.bought,
        screen: r.screen,
        balances: r.balances,
      },
    ]),
  );
}

/**
 * A worker's batch: one statement starts them all, then the auctions run side by side. Leads
 * that were not RECEIVED (run already, or running elsewhere) are skipped, as runAuction would.
 */
export async function runAuctions(s: Services, leadIds: readonly string[]): Promise<AuctionRun[]> {
  const started = await startLeads(s, leadIds);
  return Promise.all(
    leadIds.map((id) => {
      const one = started.get(id);
      return one ? runAuction(s, id, one) : Promise.resolve<AuctionRun>({ leadId: id, ran: false, outcome: null });
    }),
  );
}

interface Finished {
  outcome: LeadOutcome;
  /** A post's payout, written with the result (null when it did not sell, or for a direct lead). */
  payout: ReturnType<typeof postPayout>;
  /** The seller has a status webhook: its lead.sold / lead.unsold row is there to queue. */
  sellerHook: boolean;
}

async function auction(s: Services, started: StartedLead, timings: Timings, held?: HeldPings): Promise<Finished> {
  const { lead, configVersion } = started;
  const at = s.clock.now();
  const t0 = performance.now();
  let mark = t0;
  const lap = (k: Exclude<keyof Timings, "total">) => {
    const now = performance.now();
    timings[k] += now - mark;
    mark = now;
    timings.total = now - t0;
  };
  const events: TimelineEvent[] = [];
  const note = (kind: string, data: Record<string, unknown>, buyerId?: string) =>
    events.push({ at: s.clock.now(), kind, buyerId: buyerId ?? null, data });
  const { rows, buyers: list, floorCents, netOfReturns, checks } = await buyerSet(s.db, lead.vertical, configVersion);
  // The lists' hits came with the start statement (started.screen); only a lead without its keyed
  // hashes makes screenLead ask, beside the counters.
  const [counters, listed] = await Promise.all([
    readCounters(s.db, [...rows.values()], at, started.bought, started.balances),
    rows.size > 0 ? screenLead(s, checks, lead, started.screen) : undefined,
  ]);
  let screening = listed;
  // Paid checks come after the free ones, so a person the lists already refuse costs nothing:
  // the litigator list only while some buyer may still have the person, then the consent claims.
  const open = (b: Buyer) => b.active && !screenedFor(screening, b.id);
  if (checks.checkLitigator && list.some(open)) {
    const litigator = await checkLitigator(s, lead, checks.litigatorFailOpen);
    note("litigator_check", litigator.event);
    if (litigator.refuse) screening = { everyone: litigator.refuse, buyers: screening?.buyers ?? {} };
  }
  // Certificates a buyer requires claimed are claimed now, before any buyer is asked, but only for
  // buyers the screens left the person to; the rest after a sale (claimAtSale). A provider's
  // failure is an ERROR claim, never a failed auction.
  const before = claimsBeforeAuction(list, lead.consent, screening);
  const claims = before.length > 0 ? await claimConsent(s, lead, before, "BEFORE_AUCTION") : {};
  lap("load");
  const byId = new Map<string, Buyer>(list.map((b) => [b.id, b]));
  const exchanges = new Map<string, Exchange>();
  const wire: WireLead = {
    id: lead.id,
    vertical: lead.vertical,
    zip: lead.zip,
    state: lead.state,
    fields: lead.customFields,
    contact: { ...lead.contact },
    consent: lead.consent,
  };
  let sharedSlots = 1;

  // position: the cascadePosition of the POST this sale is for (networks), null for a contractor's
  // claim, which is never a POST.
  const sell = async (
    buyerId: string,
    kind: "POST" | "DIRECT",
    price: number,
    bid: number | null,
    limit: number,
    position: number | null,
  ) => {
    const claim = await claimSale(s.db, {
      leadId: lead.id,
      buyer: byId.get(buyerId)!,
      row: rows.get(buyerId)!,
      kind,
      priceCents: price,
      bidCents: bid,
      limit,
      cascadePosition: position,
      at: s.clock.now(),
      attempt: started.attempt,
    });
    if (!claim.ok) note("sale_refused", { reason: claim.reason, detail: claim.detail }, buyerId);
    else {
      // The sale left the buyer under its low-balance threshold: one email per crossing (billing).
      const threshold = rows.get(buyerId)!.lowBalanceThresholdCents;
      if (claim.balanceCents !== undefined && threshold !== null && claim.balanceCents < threshold) {
        void notifyLowBalances(s, buyerId).catch((err: unknown) =>
          s.log.error({ err, buyerId }, "could not send the low-balance email"),
        );
      }
    }
    return claim;
  };

  const outcome = await decide(
    {
      lead: {
        id: lead.id,
        vertical: lead.vertical,
        zip: lead.zip,
        state: lead.state,
        receivedAt: lead.receivedAt,
        consent: consentWithClaims(lead.consent, claims),
        validation: lead.validation,
        ...(screening ? { screening } : {}),
      },
      buyers: list,
      counters,
      verticalFloorCents: floorCents,
      netOfReturns,
    },
    {
      clock: s.clock,
      ping: async (networks) => {
        // A post answers with the bids its ping collected (sellers/held-pings.ts): no second ping.
        const pings = held
          ? replayHeldPings(networks, held, exchanges)
          : await pingNetworks(networks, rows, wire, exchanges, s.outbound);
        lap("ping");
        return pings;
      },
      async post(bid, position): Promise<PostResult> {
        const network = bid.buyerType === "NETWORK";
        const claim = await sell(
          bid.buyerId,
          network ? "POST" : "DIRECT",
          bid.amountCents,
          bid.amountCents,
          1,
          network ? position : null,
        );
        if (!claim.ok) return refused(claim);
        if (!network) {
          // A claim, not a POST: no position (positions number POSTs).
          note(
            "cascade_step",
            { position: null, accepted: true, bidCents: bid.amountCents, via: "standing bid" },
            bid.buyerId,
          );
          return { accepted: true, stage: "SALE" };
        }
        const result = await postTo(
          s,
          rows.get(bid.buyerId)!,
          byId.get(bid.buyerId)!,
          wire,
          bid.amountCents,
          exchanges,
        );
        if (!result.accepted) await releaseSale(s.db, lead.id, bid.buyerId, started.attempt);
        note(
          "cascade_step",
          {
            position,
            accepted: result.accepted,
            bidCents: bid.amountCents,
            reason: result.lostReason ?? null,
            detail: result.rawReason ?? null,
          },
          bid.buyerId,
        );
        return result;
      },
      async claim(winner, mode): Promise<PostResult> {
        if (mode === "SHARED" && winner.position === 1) {
          sharedSlots = Math.max(1, winner.contractor.maxSharedLeads); // the leader sets the slots
        }
        const limit = mode === "EXCLUSIVE" ? 1 : sharedSlots;
        const claim = await sell(winner.contractor.id, "DIRECT", winner.priceCents, null, limit, null);
        note(
          "direct_claim",
          { mode, position: winner.position, priceCents: winner.priceCents, accepted: claim.ok },
          winner.contractor.id,
        );
        return claim.ok ? { accepted: true, stage: "SALE" } : refused(claim);
      },
    },
  );
  lap("sale");
  const payout = held ? postPayout(outcome, held) : null;
  const written = await finalizeLead(s, lead, started.attempt, outcome, byId, rows, exchanges, events, payout);
  lap("finalize");
  await dispatchDeliveries(s, written.deliveries);
  lap("deliver");
  return { outcome, payout, sellerHook: written.sellerHook };
}

/**
 * After a sale: the certificates the lead carries that were not claimed before the auction are
 * claimed (retained) now, naming the first winner (TrustedForm checks the consent text names it).
 * The lead is already sold; whatever the providers answer is only recorded.
 */
async function claimAtSale(s: Services, started: StartedLead, outcome: LeadOutcome): Promise<void> {
  if (outcome.status !== "SOLD" || !s.consent) return;
  // Only what a configured provider can claim: without one there is nothing to ask or to read.
  const carried = carriedConsent(started.lead.consent).filter((r) => hasConsentProvider(s.consent, r));
  if (carried.length === 0) return;
  const winner = outcome.records.find((r) => r.isWinner);
  const name = winner
    ? ((await buyerSet(s.db, started.lead.vertical, started.configVersion)).rows.get(winner.buyerId)?.name ?? null)
    : null;
  await claimConsent(s, started.lead, carried, "AT_SALE", name);
}

/**
 * A sale claim refused before anything was sent: by the sale rules (hours, caps, duplicates, under
 * lock), which the engine treats like the same rule failing at the start, or because the lead was
 * taken or ended meanwhile (POST_REJECTED).
 */
function refused(claim: Extract<SaleClaim, { ok: false }>): PostResult {
  const rules = (SALE_RULE_REASONS as readonly string[]).includes(claim.reason);
  return { accepted: false, lostReason: claim.reason, rawReason: claim.detail, stage: rules ? "RULES" : "SALE" };
}

async function postTo(
  s: Services,
  row: BuyerRow,
  buyer: Buyer,
  wire: WireLead,
  bidCents: number,
  exchanges: Map<string, Exchange>,
): Promise<PostResult> {
  const ex = exchanges.get(row.id) ?? {};
  exchanges.set(row.id, ex);
  const started = performance.now();
  const controller = new AbortController();
  const timer = setTimeout(() => cut(controller, "post timeout"), POST_TIMEOUT_MS);
  try {
    const ctx = { lead: wire, pingId: ex.pingId ?? wire.id, bidCents };
    const req = buildBuyerRequest(row.requestTemplate, "post", ctx, row.requestAuthSecret);
    const headers = { ...req.headers, "content-type": req.contentType };
    const res = await postJson(s.outbound, row.postUrl ?? "", req.body, controller.signal, headers);
    ex.postResponse = cap(res.text);
    if (res.tooLarge) return postFailure("POST answer too large");
    return parsePostResponse(res.status, res.text, buyer.type === "NETWORK" ? buyer.mapping : undefined);
  } catch (err) {
    const msg = controller.signal.aborted ? `no answer to the POST within ${POST_TIMEOUT_MS} ms` : errorText(err);
    ex.error = msg;
    return postFailure(msg);
  } finally {
    clearTimeout(timer);
    ex.postLatencyMs = Math.round(performance.now() - started);
  }
}
