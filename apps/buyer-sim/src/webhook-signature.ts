import { createHmac, timingSafeEqual } from "node:crypto";

// Standard Webhooks (https://www.standardwebhooks.com/), written out with node:crypto so the
// receiver is an independent implementation: if the server's signer and this verifier agree,
// both follow the spec rather than one library's reading of it.

export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

export type WebhookVerifyFailure = "missing headers" | "bad timestamp" | "stale timestamp" | "bad signature";

export type WebhookVerifyResult = { ok: true } | { ok: false; reason: WebhookVerifyFailure };

export function secretKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith("whsec_") ? secret.slice(6) : secret, "base64");
}

/** The `v1,<base64>` signature for one message; exported so tests can play the sender. */
export function signWebhook(secret: string, id: string, timestampSeconds: number, body: string): string {
  const mac = createHmac("sha256", secretKey(secret)).update(`${id}.${timestampSeconds}.${body}`).digest("base64");
  return `v1,${mac}`;
}

export interface WebhookHeaders {
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
}

export function verifyWebhook(secret: string, h: WebhookHeaders, body: string, nowMs: number): WebhookVerifyResult {
  if (!h.id || !h.timestamp || !h.signature) return { ok: false, reason: "missing headers" };
  if (!/^\d{1,12}$/.test(h.timestamp)) return { ok: false, reason: "bad timestamp" };
  const ts = Number(h.timestamp);
  if (Math.abs(nowMs / 1000 - ts) > WEBHOOK_TOLERANCE_SECONDS) return { ok: false, reason: "stale timestamp" };

  const expected = createHmac("sha256", secretKey(secret)).update(`${h.id}.${h.timestamp}.${body}`).digest();
  // The header may carry several space-separated signatures (key rotation); any v1 match passes.
  for (const part of h.signature.split(" ")) {
    const comma = part.indexOf(",");
    if (comma === -1 || part.slice(0, comma) !== "v1") continue;
    const given = Buffer.from(part.slice(comma + 1), "base64");
    if (given.length === expected.length && timingSafeEqual(given, expected)) return { ok: true };
  }
  return { ok: false, reason: "bad signature" };
}
