// POST /api/v1/post: the full lead for a ping. The ping is claimed (once: a conditional update on
// its row) in the same statement that writes the lead, so a refused post writes nothing and two
// posts of one ping sell once. The held bids then go through the engine's cascade (no re-ping),
// sale rules re-checked at the sale as in every auction.
import {
  findSellerPing,
  getLeadIdByExternalId,
  isExternalIdConflict,
  leadSettlement,
  verticalActive,
  type SellerPingRow,
} from "@leadflow/db";
import { partialMismatch, pingExpired } from "@leadflow/engine";
import type { Services } from "../context";
import { createLead, unknownVertical, type CreatedLead, type LeadIntake } from "../auction/intake";
import { runAuction } from "../auction/run-auction";
import { setTimeout as sleep } from "node:timers/promises";
import { forgetHold, holdWritten, recentHold } from "./hold-writer";
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
 * The ping as written. A ping is answered before its hold is committed (ping-lead.ts): if this
 * process is writing it, wait for that; if it is unknown here, another process may be writing it,
 * so look again for up to HOLD_WAIT_MS before calling it unknown.
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

/** What a post uses of its ping: the fields a hold is written with (they never change). */
type PingHold = Pick<
  SellerPingRow,
  "sellerOrgId" | "partial" | "held" | "accepted" | "bestBidCents" | "payoutCents" | "rule" | "createdAt" | "expiresAt"
>;

/**
 * The ping this post may use, or the refusal. A ping this process answered recently is known from
 * its hold as written (recentHold): when it is this seller's, accepted, unexpired and the same
 * partial lead, the post goes straight to its claim, which alone decides whether it is still
 * unused. Anything else is decided, as before, from the row (readPing), so every refusal and its
 * order stay the same.
 */
async function usablePing(s: Services, sellerOrgId: string, pingId: string, input: LeadIntake): Promise<PingHold> {
  const partial = {
    vertical: input.vertical,
    zip: input.zip,
    state: input.state ?? null,
    consent: input.consent,
    customFields: input.customFields,
  };
  await holdWritten(pingId);
  const mem = recentHold(s.db, pingId);
  if (
    mem &&
    mem.sellerOrgId === sellerOrgId &&
    mem.accepted &&
    !pingExpired(mem.expiresAt, s.clock.now()) &&
    partialMismatch(mem.partial, partial).length === 0
  )
    return mem;
  const before = await readPing(s, pingId);
  const early = refusal(before, sellerOrgId, s.clock.now());
  if (early) throw early;
  const differs = partialMismatch(before!.partial, partial);
  if (differs.length > 0) {
    throw new PostRefused(
      "PING_MISMATCH",
      `The post differs from its ping in ${differs.join(", ")}; post the lead you pinged, or ping again.`,
      Object.fromEntries(differs.map((f) => [f, ["differs from the ping"]])),
    );
  }
  return before!;
}

function externalIdTaken(externalId: string, leadId: string): PostRefused {
  return new PostRefused(
    "PING_MISMATCH",
    `externalId "${externalId}" is already lead ${leadId}; a post is a new lead.`,
    {
      externalId: ["already used by another of your leads"],
    },
  );
}

/**
 * Why a post's statement claimed nothing (it wrote nothing): the ping's state now (used meanwhile
 * by another post, expired, …), else the vertical, else the seller's externalId.
 */
async function whyNotClaimed(s: Services, sellerOrgId: string, pingId: string, input: LeadIntake, at: Date) {
  const why = refusal(await findSellerPing(s.db, pingId), sellerOrgId, at);
  if (why) return why;
  if (!(await verticalActive(s.db, input.vertical))) return unknownVertical(input.vertical);
  const old = input.externalId ? await getLeadIdByExternalId(s.db, sellerOrgId, input.externalId) : undefined;
  if (old) return externalIdTaken(input.externalId!, old);
  return new PostRefused("PING_USED", "That ping was already posted; ping again for a new lead.");
}

export async function postLead(s: Services, sellerOrgId: string, body: unknown): Promise<PostAnswer> {
  const { pingId, lead: input } = parsePost(body);
  const ping = await usablePing(s, sellerOrgId, pingId, input);
  const at = s.clock.now();
  const bids = ping.held
    .filter((h) => h.outcome === "BID")
    .map((h) => ({ buyerId: h.buyerId, bidCents: h.bidCents ?? null }));
  // One statement claims the ping (once: a conditional update of its row; of two posts of one ping,
  // one claims it and the other finds it used) and writes the lead under the ping's id (the networks
  // were pinged with it as leadId, and their POST must name the same lead), its intake event and
  // the ping's events; a refused post writes nothing. Its commit skips the fsync: the sale's or the
  // result's synchronous commit always follows before the answer (auction/commit.ts).
  let created: CreatedLead;
  try {
    created = await createLead(s, sellerOrgId, input, {
      start: true,
      id: pingId,
      deferFsync: true,
      at,
      claim: {
        pingId,
        events: [
          {
            at: ping.createdAt,
            kind: "ping",
            data: { pingId, accepted: ping.accepted, payoutCents: ping.payoutCents, expiresAt: fmt(ping.expiresAt) },
          },
          { at: ping.createdAt, kind: "ping_bids", data: { pingId, bestBidCents: ping.bestBidCents, bids } },
          { at, kind: "post", data: { pingId } },
        ],
      },
    });
  } catch (err) {
    // The seller's externalId was written by another lead between the check and the insert.
    if (isExternalIdConflict(err)) {
      const old = await getLeadIdByExternalId(s.db, sellerOrgId, input.externalId ?? "");
      throw externalIdTaken(input.externalId ?? "", old ?? "");
    }
    throw err;
  }
  if (!created.claimed) throw await whyNotClaimed(s, sellerOrgId, pingId, input, at);
  forgetHold(pingId);
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
