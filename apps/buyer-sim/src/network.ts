import type { ServerResponse } from "node:http";
import type { FailureMode, NetworkConfig } from "./config";
import { FAILURE_MODES } from "./config";
import { after, errorBody, respondWithFailure, sendJson } from "./http-util";
import type { Rng } from "./random";
import { mulberry32, pickFailure, sample, seedFor } from "./random";
import { findContact, issueLines, PingBodySchema, PostBodySchema } from "./wire";

export interface NetworkStats {
  pings: number;
  bids: number;
  noBids: number;
  posts: number;
  accepts: number;
  rejects: number;
  /** Rejections by reason, including the sim's own "unknown ping", "lead mismatch", "bid mismatch". */
  rejectReasons: Record<string, number>;
  pingLeakedContact: number;
  badRequests: number;
  pingFailures: Record<FailureMode, number>;
  postFailures: Record<FailureMode, number>;
  /** The last bodies received, so integration tests can check what the server sent. */
  lastPing: unknown;
  lastPost: unknown;
}

interface RememberedPing {
  leadId: string;
  bidCents: number;
}

export interface NetworkState {
  id: string;
  cfg: NetworkConfig;
  rng: Rng;
  stats: NetworkStats;
  /** Pings this network bid on, oldest first (Map keeps insertion order), for the POST check. */
  pings: Map<string, RememberedPing>;
  maxPings: number;
}

const zeroFailures = (): Record<FailureMode, number> =>
  Object.fromEntries(FAILURE_MODES.map((m) => [m, 0])) as Record<FailureMode, number>;

export const emptyNetworkStats = (): NetworkStats => ({
  pings: 0,
  bids: 0,
  noBids: 0,
  posts: 0,
  accepts: 0,
  rejects: 0,
  rejectReasons: {},
  pingLeakedContact: 0,
  badRequests: 0,
  pingFailures: zeroFailures(),
  postFailures: zeroFailures(),
  lastPing: null,
  lastPost: null,
});

export function createNetwork(id: string, cfg: NetworkConfig, simSeed: number, maxPings: number): NetworkState {
  return {
    id,
    cfg,
    rng: mulberry32(cfg.seed ?? seedFor(simSeed, id)),
    stats: emptyNetworkStats(),
    pings: new Map(),
    maxPings,
  };
}

/** Replaces behaviour but keeps counters and remembered pings, so a test can reconfigure between ping and post. */
export function reconfigureNetwork(net: NetworkState, cfg: NetworkConfig, simSeed: number): void {
  net.cfg = cfg;
  net.rng = mulberry32(cfg.seed ?? seedFor(simSeed, net.id));
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    return undefined;
  }
}

function bidBody(cfg: NetworkConfig, cents: number): string {
  return cfg.format === "nested" ? `{"result":{"price_cents":${cents}}}` : `{"bid":${cents / 100}}`;
}

function postBody(cfg: NetworkConfig, accepted: boolean, reason: string): string {
  if (cfg.format === "nested") {
    return accepted ? `{"status":"accepted"}` : JSON.stringify({ status: "rejected", message: reason });
  }
  return accepted ? `{"accepted":true}` : JSON.stringify({ accepted: false, reason });
}

export function handlePing(net: NetworkState, body: Buffer, res: ServerResponse): void {
  const { cfg, rng, stats } = net;
  stats.pings++;
  const json = parseJson(body);
  stats.lastPing = json ?? null;
  // Privacy first: a leaking ping is refused whatever the random draws would have done.
  const leak = findContact(json);
  if (leak !== null) {
    stats.pingLeakedContact++;
    return sendJson(res, 400, errorBody("ping must not contain contact details", { field: leak || "(body)" }));
  }
  const ping = PingBodySchema.safeParse(json);
  if (!ping.success) {
    stats.badRequests++;
    return sendJson(res, 400, errorBody("invalid ping", { issues: issueLines(ping.error) }));
  }

  // The same number of draws on every request keeps a seeded run reproducible whatever the outcome.
  const failure = pickFailure(cfg.failures.ping, rng());
  const latency = sample(cfg.latencyMs, rng);
  const noBid = rng() < cfg.noBidProbability;
  const dollars = sample(cfg.bid, rng);
  const cents = noBid ? 0 : Math.round(dollars * 100);

  if (failure) stats.pingFailures[failure]++;
  // Only a body the client can read carries a bid it can act on.
  const bidReadable = failure === null || failure === "huge" || failure === "trickle";
  if (cents > 0 && bidReadable) {
    stats.bids++;
    remember(net, ping.data.pingId, { leadId: ping.data.leadId, bidCents: cents });
  } else if (failure === null) stats.noBids++;

  const answer = bidBody(cfg, cents);
  if (failure === "hang") return;
  after(latency, () => (failure ? respondWithFailure(res, failure, answer, cfg) : sendJson(res, 200, answer)));
}

function remember(net: NetworkState, pingId: string, p: RememberedPing): void {
  if (net.pings.size >= net.maxPings) {
    const oldest = net.pings.keys().next();
    if (!oldest.done) net.pings.delete(oldest.value);
  }
  net.pings.set(pingId, p);
}

export function handlePost(net: NetworkState, body: Buffer, res: ServerResponse): void {
  const { cfg, rng, stats } = net;
  stats.posts++;
  const json = parseJson(body);
  stats.lastPost = json ?? null;
  const post = PostBodySchema.safeParse(json);
  if (!post.success) {
    stats.badRequests++;
    return sendJson(res, 400, errorBody("invalid post", { issues: issueLines(post.error) }));
  }

  const failure = pickFailure(cfg.failures.post, rng());
  const latency = sample(cfg.latencyMs, rng);
  const rejectDraw = rng();
  const reasonDraw = rng();

  if (failure) {
    // A failed POST leaves the ping on file: the buyer never decided anything.
    stats.postFailures[failure]++;
    if (failure === "hang") return;
    const answer = postBody(cfg, true, "");
    return after(latency, () => respondWithFailure(res, failure, answer, cfg));
  }

  const { pingId, leadId, bidCents } = post.data;
  const known = net.pings.get(pingId);
  let reason: string | null = null;
  // The sim's own checks come first: they catch server bugs (wrong ping, wrong lead, price drift).
  if (!known) reason = "unknown ping";
  else if (known.leadId !== leadId) reason = "lead mismatch";
  else if (known.bidCents !== bidCents) reason = "bid mismatch";
  else if (rejectDraw < cfg.rejectRate) {
    const reasons = cfg.rejectReasons;
    reason = reasons[Math.floor(reasonDraw * reasons.length)] ?? reasons[0] ?? "rejected";
  }
  if (known) net.pings.delete(pingId);

  if (reason === null) stats.accepts++;
  else {
    stats.rejects++;
    stats.rejectReasons[reason] = (stats.rejectReasons[reason] ?? 0) + 1;
  }
  const answer = postBody(cfg, reason === null, reason ?? "");
  after(latency, () => sendJson(res, 200, answer));
}
