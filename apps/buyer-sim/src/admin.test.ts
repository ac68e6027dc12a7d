import { describe, expect, it } from "vitest";
import { BuyerSimConfigError } from "./config";
import { ping, postJson, sim } from "./test-helpers";

const admin = (url: string, method: string, body?: unknown): Promise<Response> =>
  fetch(url, { method, body: body === undefined ? undefined : JSON.stringify(body) });

describe("runtime reconfiguration", () => {
  it("POST /admin/buyers/:id replaces a network's behaviour and keeps its counters", async () => {
    const s = await sim({ networks: { a: { bid: { kind: "fixed", value: 10 } } } });
    expect((await ping(s, "a")).json).toEqual({ bid: 10 });
    const res = await admin(`${s.url}/admin/buyers/a`, "POST", { bid: { kind: "fixed", value: 99 }, format: "nested" });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: "a", kind: "network", config: { format: "nested" } });
    expect((await ping(s, "a")).json).toEqual({ result: { price_cents: 9900 } });
    expect(s.stats().networks.a?.pings).toBe(2);
  });

  it("keeps remembered pings across a reconfiguration, so a test can change behaviour before the POST", async () => {
    const s = await sim({ networks: { a: { bid: { kind: "fixed", value: 10 } } } });
    const { sent } = await ping(s, "a");
    s.setBuyer("a", { rejectRate: 1, rejectReasons: ["cap reached"] });
    const r = await postJson(s.postUrl("a"), { pingId: sent.pingId, leadId: sent.leadId, bidCents: 1000, lead: {} });
    expect(await r.json()).toEqual({ accepted: false, reason: "cap reached" });
  });

  it("refuses a bad config with 400 and the zod issues, leaving the buyer as it was", async () => {
    const s = await sim({ networks: { a: {} } });
    const res = await admin(`${s.url}/admin/buyers/a`, "POST", { latencyMs: { kind: "uniform", min: 50, max: 10 } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; issues: { path: string[] }[] };
    expect(body.error).toContain("latencyMs.max");
    expect(body.issues[0]?.path).toEqual(["latencyMs", "max"]);
    expect((await admin(`${s.url}/admin/buyers/a`, "POST", "nope")).status).toBe(400);
    expect((await fetch(`${s.url}/admin/buyers/a`, { method: "POST", body: "{" })).status).toBe(400);
    expect(s.config().networks.a?.latencyMs).toEqual({ kind: "fixed", value: 0 });
  });

  it("adds a new buyer only when told its kind", async () => {
    const s = await sim({});
    const missing = await admin(`${s.url}/admin/buyers/new-net`, "POST", {});
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: string }).error).toContain("kind is required");
    expect((await admin(`${s.url}/admin/buyers/new-net`, "POST", { kind: "network" })).status).toBe(200);
    expect((await ping(s, "new-net")).status).toBe(200);
    expect((await admin(`${s.url}/admin/buyers/bad id`, "POST", { kind: "network" })).status).toBe(400);
    const wrongKind = await admin(`${s.url}/admin/buyers/x`, "POST", { kind: "seller", secret: "c2VjcmV0" });
    expect(wrongKind.status).toBe(400);
  });

  it("PATCH merges, GET reads back, DELETE /admin/stats resets counters", async () => {
    const s = await sim({ networks: { a: { noBidProbability: 1, rejectRate: 0.5 } } });
    await ping(s, "a");
    const patched = await admin(`${s.url}/admin/buyers/a`, "PATCH", { noBidProbability: 0 });
    expect(await patched.json()).toMatchObject({ config: { noBidProbability: 0, rejectRate: 0.5 } });
    expect(await (await fetch(`${s.url}/admin/buyers/a`)).json()).toMatchObject({ config: { rejectRate: 0.5 } });
    expect((await admin(`${s.url}/admin/buyers/zzz`, "PATCH", {})).status).toBe(404);
    expect((await fetch(`${s.url}/admin/buyers/zzz`)).status).toBe(404);
    const stats = (await (await fetch(`${s.url}/stats`)).json()) as { totals: { pings: number } };
    expect(stats.totals.pings).toBe(1);
    expect((await fetch(`${s.url}/admin/stats`, { method: "DELETE" })).status).toBe(200);
    expect(s.stats().networks.a?.pings).toBe(0);
  });

  it("setBuyer throws a BuyerSimConfigError in-process", async () => {
    const s = await sim({ networks: { a: {} } });
    expect(() => s.setBuyer("a", { rejectRate: 2 })).toThrow(BuyerSimConfigError);
    expect(() => s.setBuyer("c", { kind: "contractor", secret: "whsec_!!" })).toThrow(/secret must be base64/);
    expect(s.setBuyer("c", { kind: "contractor", secret: "c2VjcmV0" })).toMatchObject({ kind: "contractor" });
    expect(s.webhookUrl("c")).toBe(`${s.url}/contractors/c/webhook`);
  });

  it("refuses a bad startup config with a clear error", async () => {
    await expect(sim({ networks: { a: { bid: { kind: "uniform", min: 1 } } } } as never)).rejects.toThrow(
      /networks\.a\.bid\.max/,
    );
  });
});
