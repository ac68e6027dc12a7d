import { request } from "node:http";
import { describe, expect, it } from "vitest";
import type { BuyerSim } from "./server";
import { sim } from "./test-helpers";
import { signWebhook, verifyWebhook } from "./webhook-signature";

const SECRET = `whsec_${Buffer.from("a-contractor-crm-signing-secret").toString("base64")}`;
const OTHER = `whsec_${Buffer.from("somebody-elses-secret").toString("base64")}`;
const nowS = (): number => Math.floor(Date.now() / 1000);

/** Sends like the server must: Standard Webhooks headers over the exact body bytes. */
function deliver(
  s: BuyerSim,
  id: string,
  o: { webhookId?: string; body?: string; secret?: string; ts?: number; sentBody?: string } = {},
): Promise<Response> {
  const body = o.body ?? JSON.stringify({ type: "lead.delivered", leadId: "lead-1", lead: { email: "a@b.co" } });
  const ts = o.ts ?? nowS();
  const webhookId = o.webhookId ?? `msg_${Math.random().toString(36).slice(2)}`;
  return fetch(s.webhookUrl(id), {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "webhook-id": webhookId,
      "webhook-timestamp": String(ts),
      "webhook-signature": signWebhook(o.secret ?? SECRET, webhookId, ts, body),
    },
    body: o.sentBody ?? body,
  });
}

describe("verifyWebhook", () => {
  const body = '{"a":1}';
  const t = 1_700_000_000;
  const h = (sig: string, ts = t, id = "msg_1") => ({ id, timestamp: String(ts), signature: sig });

  it("accepts a correct signature, with or without the whsec_ prefix, among several", () => {
    const sig = signWebhook(SECRET, "msg_1", t, body);
    expect(verifyWebhook(SECRET, h(sig), body, t * 1000)).toEqual({ ok: true });
    expect(verifyWebhook(SECRET.slice(6), h(sig), body, t * 1000)).toEqual({ ok: true });
    expect(verifyWebhook(SECRET, h(`v1,AAAA ${sig}`), body, t * 1000)).toEqual({ ok: true });
  });

  it("matches the Standard Webhooks reference vector", () => {
    // From the standard-webhooks spec's test suite.
    const ok = verifyWebhook(
      "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
      {
        id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
        timestamp: "1614265330",
        signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
      },
      '{"test": 2432232314}',
      1614265330 * 1000,
    );
    expect(ok).toEqual({ ok: true });
  });

  it("refuses tampering, a wrong secret, a stale or future timestamp and missing headers", () => {
    const sig = signWebhook(SECRET, "msg_1", t, body);
    expect(verifyWebhook(SECRET, h(sig), '{"a":2}', t * 1000)).toEqual({ ok: false, reason: "bad signature" });
    expect(verifyWebhook(SECRET, h(sig, t, "msg_2"), body, t * 1000)).toMatchObject({ reason: "bad signature" });
    expect(verifyWebhook(OTHER, h(sig), body, t * 1000)).toMatchObject({ reason: "bad signature" });
    expect(verifyWebhook(SECRET, h(sig.replace("v1,", "v2,")), body, t * 1000)).toMatchObject({
      reason: "bad signature",
    });
    expect(verifyWebhook(SECRET, h(sig), body, (t + 301) * 1000)).toMatchObject({ reason: "stale timestamp" });
    expect(verifyWebhook(SECRET, h(sig), body, (t - 301) * 1000)).toMatchObject({ reason: "stale timestamp" });
    expect(verifyWebhook(SECRET, h(sig), body, (t + 299) * 1000)).toEqual({ ok: true });
    expect(verifyWebhook(SECRET, { ...h(sig), timestamp: "soon" }, body, t * 1000)).toMatchObject({
      reason: "bad timestamp",
    });
    expect(verifyWebhook(SECRET, { ...h(sig), id: undefined }, body, t * 1000)).toMatchObject({
      reason: "missing headers",
    });
  });
});

describe("contractor webhook endpoint", () => {
  it("accepts a correctly signed delivery and records it", async () => {
    const s = await sim({ contractors: { crm: { secret: SECRET } } });
    const res = await deliver(s, "crm", { webhookId: "msg_ok" });
    expect(res.status).toBe(200);
    const c = s.stats().contractors.crm;
    expect(c).toMatchObject({ webhooksReceived: 1, signatureOk: 1, signatureFailed: 0, accepted: 1 });
    expect(c?.received[0]).toMatchObject({
      webhookId: "msg_ok",
      deliveries: 1,
      verified: true,
      lastStatus: 200,
      okAnswers: 1,
    });
    expect(c?.received[0]?.payload).toMatchObject({ leadId: "lead-1" });
  });

  it("refuses a tampered body, a wrong secret and a stale timestamp with 401", async () => {
    const s = await sim({ contractors: { crm: { secret: SECRET } } });
    const tampered = await deliver(s, "crm", { body: '{"leadId":"lead-1"}', sentBody: '{"leadId":"lead-2"}' });
    const wrong = await deliver(s, "crm", { secret: OTHER });
    const stale = await deliver(s, "crm", { ts: nowS() - 6 * 60 });
    expect([tampered.status, wrong.status, stale.status]).toEqual([401, 401, 401]);
    expect(await stale.json()).toEqual({ error: "invalid signature", reason: "stale timestamp" });
    const c = s.stats().contractors.crm;
    expect(c).toMatchObject({ signatureOk: 0, signatureFailed: 3, accepted: 0 });
    expect(c?.signatureFailures).toEqual({ "bad signature": 2, "stale timestamp": 1 });
  });

  it("is down (503) until downUntil, counting every delivery of the same webhook id", async () => {
    let t = Date.parse("2026-03-01T12:00:00Z");
    const clock = { now: () => new Date(t) };
    const s = await sim({ contractors: { crm: { secret: SECRET, downUntil: t + 60_000 } } }, { clock });
    const ts = Math.floor(t / 1000);
    expect((await deliver(s, "crm", { webhookId: "msg_retry", ts })).status).toBe(503);
    t += 61_000;
    expect((await deliver(s, "crm", { webhookId: "msg_retry", ts: ts + 61 })).status).toBe(200);
    const c = s.stats().contractors.crm;
    expect(c).toMatchObject({ webhooksReceived: 2, refusedDown: 1, accepted: 1 });
    expect(c?.received).toHaveLength(1);
    expect(c?.received[0]).toMatchObject({ webhookId: "msg_retry", deliveries: 2, verified: true, okAnswers: 1 });
  });

  it("can refuse the connection when down, and comes back when toggled via admin", async () => {
    const s = await sim({ contractors: { crm: { secret: SECRET, down: true, downMode: "refuse" } } });
    const err = await new Promise<unknown>((resolve) => {
      const req = request(s.webhookUrl("crm"), { method: "POST" });
      req.on("response", () => resolve(null));
      req.on("error", resolve);
      req.end("{}");
    });
    expect((err as { code?: string } | null)?.code).toBe("ECONNRESET");
    const patch = await fetch(`${s.url}/admin/buyers/crm`, { method: "PATCH", body: '{"down":false}' });
    expect(patch.status).toBe(200);
    expect((await deliver(s, "crm")).status).toBe(200);
  });

  it("fails at the configured probability with 500", async () => {
    const s = await sim({ contractors: { crm: { secret: SECRET, failureProbability: 1 } } });
    expect((await deliver(s, "crm")).status).toBe(500);
    expect(s.stats().contractors.crm).toMatchObject({ signatureOk: 1, failedInjected: 1, accepted: 0 });
    expect(s.stats().contractors.crm?.received[0]).toMatchObject({ lastStatus: 500, okAnswers: 0 });
  });
});
