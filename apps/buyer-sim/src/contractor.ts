import type { IncomingMessage, ServerResponse } from "node:http";
import type { ContractorConfig } from "./config";
import { after, errorBody, resetConnection, sendJson } from "./http-util";
import type { Rng } from "./random";
import { mulberry32, sample, seedFor } from "./random";
import type { WebhookVerifyFailure } from "./webhook-signature";
import { verifyWebhook } from "./webhook-signature";

/** One webhook-id as this CRM saw it; redeliveries of the same message bump `deliveries`. */
export interface ReceivedWebhook {
  webhookId: string;
  deliveries: number;
  /** Verification result of the latest delivery. */
  verified: boolean;
  failure: WebhookVerifyFailure | null;
  /** HTTP status the latest delivery was answered with (0 when the connection was refused). */
  lastStatus: number;
  /**
   * How many deliveries were answered 200. After a crash a sender may have two attempts of one
   * message out at once, so the one answered last may be an injected failure after a success.
   */
  okAnswers: number;
  firstAt: number;
  lastAt: number;
  /** The parsed JSON payload (or the raw text, capped, when it is not JSON). */
  payload: unknown;
}

export interface ContractorStats {
  webhooksReceived: number;
  signatureOk: number;
  signatureFailed: number;
  signatureFailures: Partial<Record<WebhookVerifyFailure, number>>;
  refusedDown: number;
  failedInjected: number;
  accepted: number;
  /** Distinct webhook ids seen, newest last (capped at MAX_RECORDED). */
  received: ReceivedWebhook[];
}

export interface ContractorState {
  id: string;
  cfg: ContractorConfig;
  rng: Rng;
  stats: Omit<ContractorStats, "received">;
  received: Map<string, ReceivedWebhook>;
}

const MAX_RECORDED = 10_000;
const MAX_RAW_PAYLOAD = 10_000;

export const emptyContractorStats = (): Omit<ContractorStats, "received"> => ({
  webhooksReceived: 0,
  signatureOk: 0,
  signatureFailed: 0,
  signatureFailures: {},
  refusedDown: 0,
  failedInjected: 0,
  accepted: 0,
});

export function createContractor(id: string, cfg: ContractorConfig, simSeed: number): ContractorState {
  return {
    id,
    cfg,
    rng: mulberry32(cfg.seed ?? seedFor(simSeed, id)),
    stats: emptyContractorStats(),
    received: new Map(),
  };
}

export function reconfigureContractor(c: ContractorState, cfg: ContractorConfig, simSeed: number): void {
  c.cfg = cfg;
  c.rng = mulberry32(cfg.seed ?? seedFor(simSeed, c.id));
}

export function isDown(cfg: ContractorConfig, nowMs: number): boolean {
  return cfg.down || (cfg.downUntil !== null && nowMs < cfg.downUntil);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function parsePayload(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text.slice(0, MAX_RAW_PAYLOAD);
  }
}

export function handleWebhook(
  c: ContractorState,
  req: IncomingMessage,
  body: Buffer,
  res: ServerResponse,
  nowMs: number,
): void {
  const { cfg, stats } = c;
  stats.webhooksReceived++;
  const text = body.toString("utf8");
  const webhookId = header(req, "webhook-id");
  const v = verifyWebhook(
    cfg.secret,
    { id: webhookId, timestamp: header(req, "webhook-timestamp"), signature: header(req, "webhook-signature") },
    text,
    nowMs,
  );
  if (v.ok) stats.signatureOk++;
  else {
    stats.signatureFailed++;
    stats.signatureFailures[v.reason] = (stats.signatureFailures[v.reason] ?? 0) + 1;
  }
  // Recorded before the down/failure checks: redelivery tests need every attempt counted.
  const rec = record(c, webhookId ?? "(missing)", v.ok ? null : v.reason, parsePayload(text), nowMs);

  const failDraw = c.rng();
  const latency = sample(cfg.latencyMs, c.rng);

  if (isDown(cfg, nowMs)) {
    stats.refusedDown++;
    if (cfg.downMode === "refuse") {
      rec.lastStatus = 0;
      return resetConnection(res);
    }
    return answer(rec, res, 503, errorBody("service unavailable"), 0);
  }
  if (!v.ok) return answer(rec, res, 401, errorBody("invalid signature", { reason: v.reason }), 0);
  if (failDraw < cfg.failureProbability) {
    stats.failedInjected++;
    return answer(rec, res, 500, errorBody("internal server error"), latency);
  }
  stats.accepted++;
  answer(rec, res, 200, `{"ok":true}`, latency);
}

function answer(rec: ReceivedWebhook, res: ServerResponse, status: number, body: string, latency: number): void {
  rec.lastStatus = status;
  if (status === 200) rec.okAnswers++;
  after(latency, () => sendJson(res, status, body));
}

function record(
  c: ContractorState,
  webhookId: string,
  failure: WebhookVerifyFailure | null,
  payload: unknown,
  nowMs: number,
): ReceivedWebhook {
  let rec = c.received.get(webhookId);
  if (!rec) {
    if (c.received.size >= MAX_RECORDED) {
      const oldest = c.received.keys().next();
      if (!oldest.done) c.received.delete(oldest.value);
    }
    rec = {
      webhookId,
      deliveries: 0,
      verified: false,
      failure,
      lastStatus: 0,
      okAnswers: 0,
      firstAt: nowMs,
      lastAt: nowMs,
      payload,
    };
    c.received.set(webhookId, rec);
  }
  rec.deliveries++;
  rec.verified = failure === null;
  rec.failure = failure;
  rec.lastAt = nowMs;
  rec.payload = payload;
  return rec;
}
