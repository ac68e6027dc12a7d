// The ping phase: every eligible network at once, under one deadline for the whole phase (the
// slowest buyer's own timeout, never more than MAX_PING_PHASE_MS). A network that has not answered
// by then is a TIMEOUT; its request is cut a little later (CUT_AFTER_MS), off the answer's path.
// Each request has its own AbortController, so one buyer's hang or reset cannot cut another's
// answer short.
import {
  buildBuyerRequest,
  parsePingResponse,
  type NetworkBuyer,
  type PingOutcome,
  type PingRecord,
  type WireLead,
} from "@leadflow/engine";
import { randomUUID } from "node:crypto";
import { setMaxListeners } from "node:events";
import { performance } from "node:perf_hooks";
import type { OutboundPolicy } from "../outbound/guard";
import { cap, errorText, postJson, RESPONSE_LIMIT } from "./http";
import type { BuyerRow } from "./load";

export const MAX_PING_PHASE_MS = 10_000;

/** What the transaction row keeps about one buyer's HTTP exchanges. */
export interface Exchange {
  pingId?: string;
  request?: string | null;
  response?: string | null;
  latencyMs?: number;
  pingOutcome?: PingOutcome;
  pingDetail?: string;
  postLatencyMs?: number;
  postResponse?: string | null;
  error?: string | null;
}

/** The ping phase's deadline for these networks: the slowest one's timeout, capped. */
export function pingPhaseMs(networks: readonly NetworkBuyer[]): number {
  if (networks.length === 0) return 0;
  return Math.min(MAX_PING_PHASE_MS, Math.max(...networks.map((n) => n.pingTimeoutMs ?? 1000)));
}

/**
 * Cuts the requests a deadline ended. The errors this makes (undici's for each request, Node's as
 * each socket is destroyed) are expected and never shown, but a destroyed stream reads its error's
 * stack, and formatting a stack through the source maps costs a path lookup a frame: at a deadline
 * with requests out, that sat on the answer's path (issue 15, docs/benchmarks.md). So they are
 * made with no frames.
 */
export function cut(controller: AbortController, why: string): void {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    controller.abort(new Error(why));
  } finally {
    Error.stackTraceLimit = limit;
  }
}

export async function pingNetworks(
  networks: readonly NetworkBuyer[],
  rows: ReadonlyMap<string, BuyerRow>,
  lead: WireLead,
  exchanges: Map<string, Exchange>,
  outbound: OutboundPolicy | undefined,
  /** When the phase must be over (performance.now() time), if sooner than its own deadline. */
  endBy?: number,
  /** How long after the deadline its requests still out are cut (tests lengthen it). */
  cutAfterMs = CUT_AFTER_MS,
): Promise<PingRecord[]> {
  const start = performance.now();
  const phaseMs = Math.max(
    0,
    Math.min(pingPhaseMs(networks), endBy === undefined ? Number.POSITIVE_INFINITY : Math.floor(endBy - start)),
  );
  const phase = new AbortController();
  // Every request listens to the phase signal; 50 networks is normal, not a leak.
  setMaxListeners(networks.length + 10, phase.signal);
  // At the deadline the phase ends (every request still out is a TIMEOUT from that moment), and
  // CUT_AFTER_MS later the requests still out are cut.
  let endPhase!: (v: typeof PHASE_END) => void;
  const phaseEnd = new Promise<typeof PHASE_END>((r) => (endPhase = r));
  const phaseTimer = setTimeout(() => {
    endPhase(PHASE_END);
    setTimeout(() => cut(phase, "ping phase deadline"), cutAfterMs);
  }, phaseMs);
  try {
    return await Promise.all(
      networks.map((n) =>
        pingOne(n, rows.get(n.id), lead, start, phase.signal, phaseMs, exchanges, outbound, phaseEnd),
      ),
    );
  } finally {
    clearTimeout(phaseTimer);
  }
}

/**
 * How long after the phase's deadline its requests still out are cut. Cutting one is the costliest
 * thing a ping does: the socket's teardown and undici's error path here, the close on the buyer's
 * side, and a new connection for the next ping. At the deadline the answer goes out first, and
 * the pings that arrived together fall due together, so cutting then put every hanging buyer's
 * teardown in front of the answers due in the same milliseconds and of the next requests arriving
 * (docs/benchmarks.md, session 17: "a turn of the event loop later" was not enough). A buyer that
 * answers late within this time keeps its connection for the next ping; its answer is not used.
 */
export const CUT_AFTER_MS = 120;

const PHASE_END = Symbol("phase end");

async function pingOne(
  n: NetworkBuyer,
  row: BuyerRow | undefined,
  lead: WireLead,
  start: number,
  phase: AbortSignal,
  phaseMs: number,
  exchanges: Map<string, Exchange>,
  outbound: OutboundPolicy | undefined,
  phaseEnd: Promise<typeof PHASE_END>,
): Promise<PingRecord> {
  const pingId = randomUUID();
  // The buyer's template (or LeadFlow's own JSON body); the auth header is sent, never recorded.
  const req = buildBuyerRequest(row?.requestTemplate, "ping", { lead, pingId }, row?.requestAuthSecret);
  const ex: Exchange = { pingId, request: cap(req.body) };
  exchanges.set(n.id, ex);
  const timeoutMs = n.pingTimeoutMs ?? 1000;
  // A buyer whose own timeout is the phase's (the usual case: the phase is the longest timeout)
  // needs no timer or signal of its own: the phase's ends it at the same moment.
  const ownTimer = timeoutMs < phaseMs;
  const own = ownTimer ? new AbortController() : null;
  const timer = own ? setTimeout(() => cut(own, "buyer timeout"), timeoutMs) : undefined;
  const signal = own ? AbortSignal.any([own.signal, phase]) : phase;
  // Why a request got no answer: its own timer, or the phase's deadline (the buyer's own timeout
  // too, unless a seller's ping shortened the phase).
  const noAnswer = (byOwnTimer: boolean) =>
    `no answer within ${byOwnTimer || (!own && phaseMs >= timeoutMs) ? `${timeoutMs} ms` : "the ping phase deadline"}`;
  const done = (r: PingRecord): PingRecord => {
    ex.latencyMs = Math.round(performance.now() - start);
    ex.pingOutcome = r.outcome;
    ex.pingDetail = r.detail;
    return { ...r, latencyMs: ex.latencyMs };
  };
  try {
    const headers = { ...req.headers, "content-type": req.contentType };
    const sent = postJson(outbound, row?.pingUrl ?? "", req.body, signal, headers, RESPONSE_LIMIT);
    // A buyer with a timer of its own is cut by it; the others end with the phase, and their
    // request is cut CUT_AFTER_MS later (whatever it does meanwhile is not used).
    const res = own ? await sent : await Promise.race([sent, phaseEnd]);
    if (res === PHASE_END) {
      sent.catch(() => {});
      ex.error = noAnswer(false);
      return done({ buyerId: n.id, outcome: "TIMEOUT", detail: ex.error });
    }
    ex.response = cap(res.text);
    if (res.tooLarge) {
      ex.error = `response larger than ${RESPONSE_LIMIT} bytes`;
      return done({ buyerId: n.id, outcome: "ERROR", detail: ex.error });
    }
    const p = parsePingResponse(res.status, res.text, n.mapping);
    if (p.outcome === "BID") return done({ buyerId: n.id, outcome: "BID", bidCents: p.bidCents, detail: p.reason });
    if (p.outcome === "NO_BID") return done({ buyerId: n.id, outcome: "NO_BID", detail: p.reason });
    ex.error = p.error;
    return done({ buyerId: n.id, outcome: "ERROR", detail: p.error });
  } catch (err) {
    if (signal.aborted) {
      ex.error = noAnswer(own?.signal.aborted === true);
      return done({ buyerId: n.id, outcome: "TIMEOUT", detail: ex.error });
    }
    ex.error = errorText(err);
    return done({ buyerId: n.id, outcome: "ERROR", detail: ex.error });
  } finally {
    if (timer) clearTimeout(timer);
  }
}
