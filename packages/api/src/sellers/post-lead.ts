// POST /api/v1/post: the full lead for a ping. The ping is claimed (once: a conditional update on
// its row) in the same transaction that writes the lead, so a refused post writes nothing and two
// posts of one ping sell once. The held bids then go through the engine's cascade (no re-ping),
// sale rules re-checked at the sale as in every auction.
import {
  claimSellerPing,
  findSellerPing,
  insertLeadEvents,
  leadSettlement,
  linkPingToLead,
  type Db,
  type SellerPingRow,
} from "@leadflow/db";
import { partialMismatch, pingExpired } from "@leadflow/engine";
import type { Services } from "../context";
import { createLead, type CreatedLead } from "../auction/intake";
import { runAuction } from "../auction/run-auction";
import { setTimeout as sleep } from "node:timers/promises";
import { holdWritten } from "./hold-writer";
import { PostRefused } from "./post-refused";
import { parsePost, type PostAnswer } from "./schemas";

const fmt = (d: Date) => d.toISOString();

/** Why a ping cannot be used now; null when it can. Decided from a read, before any write. */
function refusal(ping: SellerPingRow | null, sellerOrgId: string, now: Date): PostRefused | null {
  if (!ping || ping.sellerOrgId !== sellerOrgId)
    return new PostRefused(
      "PING_UNKNOWN",
      "No ping of yours has that pingId; ping first and post with the pingId it answered.",
    );
  if (ping.usedAt)
    return new PostRefused(
      "PING_USED",
      `That ping was already posted at ${fmt(ping.usedAt)}; ping again for a new lead.`,
    );
  if (pingExpired(ping.expiresAt, now))
    return new PostRefused(
      "PING_EXPIRED",
      `That ping expired at ${fmt(ping.expiresAt)}; its bids are no longer held. Ping again.`,
    );
  if (!ping.accepted)
    return new PostRefused(
      "PING_NOT_ACCEPTED",
      "That ping was answered accepted: false; there is no bid to post it to.",
    );
  return null;
}

/** How long a post of a pingId not (yet) written anywhere waits for another process's hold write. */
export const HOLD_WAIT_MS = 1000;
const HOLD_POLL_MS = 100;

/**
 * The ping as written. A ping is answered, at worst, before its hold is committed (ping-lead.ts):
 * if this process is writing it, wait for that; if it is unknown here, another process may be
 * writing it, so look again for up to HOLD_WAIT_MS before calling it unknown.
 */
async function readPing(s: Services, pingId: string): Promise<SellerPingRow | null> {
  await holdWritten(pingId);
  let row = await findSellerPing(s.db, pingId);
  for (let waited = 0; !row && waited < HOLD_WAIT_MS; waited += HOLD_POLL_MS) {
    await sleep(HOLD_POLL_MS);
    row = await findSellerPing(s.db, pingId);
  }
  return row;
}

export async function postLead(s: Services, sellerOrgId: string, body: unknown): Promise<PostAnswer> {
  const { pingId, lead: input } = parsePost(body);
  const before = await readPing(s, pingId);
  const early = refusal(before, sellerOrgId, s.clock.now());
  if (early) throw early;
  const ping = before!;
  const differs = partialMismatch(ping.partial, {
    vertical: input.vertical,
    zip: input.zip,
    state: input.state ?? null,
    consent: input.consent,
    customFields: input.customFields,
  });
  if (differs.length > 0) {
    throw new PostRefused(
      "PING_MISMATCH",
      `The post differs from its ping in ${differs.join(", ")}; post the lead you pinged, or ping again.`,
      Object.fromEntries(differs.map((f) => [f, ["differs from the ping"]])),
    );
  }
  const at = s.clock.now();
  const created = await s.db.transaction(async (tx) => {
    const claimed = await claimSellerPing(tx, pingId, sellerOrgId, at);
    // Lost a race with another post of this ping, or it expired between the read and now.
    if (!claimed)
      throw (
        refusal(await findSellerPing(tx, pingId), sellerOrgId, at) ??
        new PostRefused("PING_USED", "That ping was already posted; ping again for a new lead.")
      );
    // createLead's one statement runs inside this transaction: the lead and the claim commit together.
    const txServices: Services = { ...s, db: tx as unknown as Db };
    // The lead takes the ping's id: the networks were pinged with it as leadId, and their POST must name the same lead.
    const lead: CreatedLead = await createLead(txServices, sellerOrgId, input, { start: true, id: pingId });
    if (!lead.created) {
      throw new PostRefused(
        "PING_MISMATCH",
        `externalId "${input.externalId ?? ""}" is already lead ${lead.id}; a post is a new lead.`,
        {
          externalId: ["already used by another of your leads"],
        },
      );
    }
    await linkPingToLead(tx, pingId, lead.id);
    const bids = ping.held
      .filter((h) => h.outcome === "BID")
      .map((h) => ({ buyerId: h.buyerId, bidCents: h.bidCents ?? null }));
    await insertLeadEvents(tx, [
      {
        leadId: lead.id,
        at: ping.createdAt,
        kind: "ping",
        data: { pingId, accepted: ping.accepted, payoutCents: ping.payoutCents, expiresAt: fmt(ping.expiresAt) },
      },
      {
        leadId: lead.id,
        at: ping.createdAt,
        kind: "ping_bids",
        data: { pingId, bestBidCents: ping.bestBidCents, bids },
      },
      { leadId: lead.id, at, kind: "post", data: { pingId } },
    ]);
    return lead;
  });
  const run = await runAuction(s, created.id, created.started, { pingId, held: ping.held, rule: ping.rule });
  // A run that finished says how the lead ended. One that failed half-way ended the lead in its
  // finally block: then the answer is read back, so it says how the lead really ended.
  const end =
    run.outcome !== null
      ? { status: run.outcome.status, unsoldReason: run.outcome.unsoldReason, payoutCents: run.payoutCents ?? 0 }
      : await leadSettlement(s.db, created.id);
  return {
    leadId: created.id,
    pingId,
    status: end?.status ?? "UNSOLD",
    unsoldReason: end?.unsoldReason ?? null,
    payoutCents: end?.payoutCents ?? 0,
  };
}
