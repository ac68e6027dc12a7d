import { describe, expect, it } from "vitest";
import { ping, pingBody, postJson, sim } from "./test-helpers";

const post = async (url: string, body: unknown): Promise<{ status: number; json: unknown }> => {
  const res = await postJson(url, body);
  return { status: res.status, json: await res.json() };
};

describe("ping", () => {
  it("bids in dollars in the default format and in cents in the nested one", async () => {
    const s = await sim({
      networks: {
        plain: { bid: { kind: "fixed", value: 12.5 } },
        nested: { bid: { kind: "fixed", value: 12.5 }, format: "nested" },
      },
    });
    expect((await ping(s, "plain")).json).toEqual({ bid: 12.5 });
    expect((await ping(s, "nested")).json).toEqual({ result: { price_cents: 1250 } });
  });

  it("answers a no-bid with 0 in either format", async () => {
    const s = await sim({ networks: { a: { noBidProbability: 1 }, b: { noBidProbability: 1, format: "nested" } } });
    expect((await ping(s, "a")).json).toEqual({ bid: 0 });
    expect((await ping(s, "b")).json).toEqual({ result: { price_cents: 0 } });
    expect(s.stats().networks.a).toMatchObject({ pings: 1, bids: 0, noBids: 1 });
  });

  it("draws bids within the distribution, reproducibly for a seed", async () => {
    const config = { seed: 7, networks: { u: { bid: { kind: "uniform", min: 5, max: 50 } as const } } };
    const run = async (): Promise<number[]> => {
      const s = await sim(config);
      const bids: number[] = [];
      for (let i = 0; i < 30; i++) bids.push(((await ping(s, "u")).json as { bid: number }).bid);
      return bids;
    };
    const first = await run();
    expect(Math.min(...first)).toBeGreaterThanOrEqual(5);
    expect(Math.max(...first)).toBeLessThanOrEqual(50);
    expect(new Set(first).size).toBeGreaterThan(20);
    expect(await run()).toEqual(first);
  });

  it("waits for the configured latency", async () => {
    const s = await sim({ networks: { slow: { latencyMs: { kind: "fixed", value: 120 } } } });
    const t0 = performance.now();
    await ping(s, "slow");
    expect(performance.now() - t0).toBeGreaterThanOrEqual(115);
  });

  it("refuses a ping carrying contact details with 400 and counts it", async () => {
    const s = await sim({ networks: { a: {} } });
    const leaks = [
      { email: "jane@example.com" },
      { fields: { phone: "5551234567" } },
      { fields: { first_name: "Jane" } },
      { lastName: "Doe" },
      { fields: { notes: "reach me at jane@example.com" }, extra: ["x", "jane@example.com"] },
    ];
    for (const leak of leaks) {
      const r = await ping(s, "a", leak);
      expect(r.status).toBe(400);
      expect(r.json).toMatchObject({ error: "ping must not contain contact details" });
    }
    expect(s.stats().networks.a).toMatchObject({ pingLeakedContact: leaks.length, bids: 0 });
    // Empty contact keys carry nothing, so they are not a leak.
    expect((await ping(s, "a", { fields: { phone: null, email: "" } })).status).toBe(200);
  });

  it("refuses an invalid ping with 400 and the field that is wrong", async () => {
    const s = await sim({ networks: { a: {} } });
    const r = await post(s.pingUrl("a"), { ...pingBody(), zip: 30301 });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ error: "invalid ping" });
    expect(JSON.stringify(r.json)).toContain("zip");
    expect((await post(s.pingUrl("a"), "{not json")).status).toBe(400);
    expect(s.stats().networks.a?.badRequests).toBe(2);
  });

  it("routes by path: 404 for unknown buyers and paths, 405 for wrong methods", async () => {
    const s = await sim({ networks: { a: {} } });
    expect((await post(s.pingUrl("nope"), pingBody())).status).toBe(404);
    expect((await fetch(`${s.url}/elsewhere`)).status).toBe(404);
    expect((await fetch(s.pingUrl("a"))).status).toBe(405);
    expect(await (await fetch(`${s.url}/healthz`)).json()).toEqual({ ok: true });
  });
});

describe("post", () => {
  it("accepts a POST for a ping it bid on, once", async () => {
    const s = await sim({ networks: { a: { bid: { kind: "fixed", value: 20 } } } });
    const { sent } = await ping(s, "a");
    const body = { pingId: sent.pingId, leadId: sent.leadId, bidCents: 2000, lead: { email: "jane@example.com" } };
    expect((await post(s.postUrl("a"), body)).json).toEqual({ accepted: true });
    // The ping is consumed: a second POST for it is a server bug.
    expect((await post(s.postUrl("a"), body)).json).toEqual({ accepted: false, reason: "unknown ping" });
    expect(s.stats().networks.a).toMatchObject({ posts: 2, accepts: 1, rejects: 1, lastPost: body });
  });

  it("rejects a POST for an unknown ping, another lead or another price", async () => {
    const s = await sim({ networks: { a: { bid: { kind: "fixed", value: 20 } } } });
    const lead = {};
    expect((await post(s.postUrl("a"), { pingId: "never", leadId: "x", bidCents: 2000, lead })).json).toEqual({
      accepted: false,
      reason: "unknown ping",
    });
    const p1 = (await ping(s, "a")).sent;
    const wrongLead = { pingId: p1.pingId, leadId: "other", bidCents: 2000, lead };
    expect((await post(s.postUrl("a"), wrongLead)).json).toMatchObject({ reason: "lead mismatch" });
    const p2 = (await ping(s, "a")).sent;
    const wrongPrice = { pingId: p2.pingId, leadId: p2.leadId, bidCents: 1999, lead };
    expect((await post(s.postUrl("a"), wrongPrice)).json).toMatchObject({ reason: "bid mismatch" });
    expect(s.stats().networks.a?.rejectReasons).toEqual({ "unknown ping": 1, "lead mismatch": 1, "bid mismatch": 1 });
  });

  it("rejects at the configured rate with reasons drawn from the list, in both formats", async () => {
    const reasons = ["cap reached", "outside hours"];
    const s = await sim({
      networks: {
        a: { rejectRate: 1, rejectReasons: reasons },
        n: { rejectRate: 1, rejectReasons: ["duplicate"], format: "nested" },
      },
    });
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const { sent } = await ping(s, "a");
      const r = await post(s.postUrl("a"), { pingId: sent.pingId, leadId: sent.leadId, bidCents: 1000, lead: {} });
      const j = r.json as { accepted: boolean; reason: string };
      expect(j.accepted).toBe(false);
      seen.add(j.reason);
    }
    expect([...seen].sort()).toEqual([...reasons].sort());
    const { sent } = await ping(s, "n");
    const r = await post(s.postUrl("n"), { pingId: sent.pingId, leadId: sent.leadId, bidCents: 1000, lead: {} });
    expect(r.json).toEqual({ status: "rejected", message: "duplicate" });
  });

  it("answers an accepted POST in the nested format", async () => {
    const s = await sim({ networks: { n: { format: "nested" } } });
    const { sent } = await ping(s, "n");
    const r = await post(s.postUrl("n"), { pingId: sent.pingId, leadId: sent.leadId, bidCents: 1000, lead: {} });
    expect(r.json).toEqual({ status: "accepted" });
  });
});
