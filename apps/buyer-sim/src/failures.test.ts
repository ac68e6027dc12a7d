import { request } from "node:http";
import { describe, expect, it } from "vitest";
import type { FailureMode } from "./config";
import { ping, pingBody, postJson, sim } from "./test-helpers";

/** A network that always fails its pings with `mode`. */
const failing = (mode: FailureMode, extra: Record<string, unknown> = {}) => ({
  networks: { f: { bid: { kind: "fixed", value: 12.5 } as const, failures: { ping: { [mode]: 1 } }, ...extra } },
});

/** Waits for the server to have seen a request, rather than guessing how long that takes. */
async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 5));
  }
}

const errorCode = (e: unknown): string | undefined => {
  const cause = (e as { cause?: { code?: string } }).cause;
  return cause?.code ?? (e as { code?: string }).code;
};

describe("failure modes", () => {
  it("hang: never answers until the client aborts", async () => {
    const s = await sim(failing("hang"));
    const ac = new AbortController();
    let settled = false;
    const pending = postJson(s.pingUrl("f"), pingBody(), { signal: ac.signal }).then(
      () => (settled = true),
      (e: unknown) => e,
    );
    await until(() => s.stats().networks.f?.pingFailures.hang === 1);
    await new Promise((r) => setTimeout(r, 400));
    expect(settled).toBe(false);
    ac.abort();
    expect(((await pending) as Error).name).toBe("AbortError");
  });

  it("hang: close() returns with a hung request open, and ends that request", async () => {
    const s = await sim(failing("hang"));
    // The client never gives up by itself: if close() waited for the request to end, neither
    // would ever finish (the test would time out).
    const pending = postJson(s.pingUrl("f"), pingBody()).catch((e: unknown) => e);
    await until(() => s.stats().networks.f?.pingFailures.hang === 1);
    await s.close();
    expect(await pending).toBeInstanceOf(Error);
  });

  it("reset: the client sees a socket error", async () => {
    const s = await sim(failing("reset"));
    // node:http rather than fetch so the error code is the socket's own.
    const err = await new Promise<unknown>((resolve) => {
      const body = JSON.stringify(pingBody());
      const req = request(s.pingUrl("f"), { method: "POST", headers: { "content-length": Buffer.byteLength(body) } });
      req.on("response", () => resolve(new Error("got a response")));
      req.on("error", resolve);
      req.end(body);
    });
    expect(["ECONNRESET", "EPIPE"]).toContain(errorCode(err));
    await expect(postJson(s.pingUrl("f"), pingBody())).rejects.toThrow();
  });

  it("error500: answers 500", async () => {
    const s = await sim(failing("error500"));
    const r = await ping(s, "f");
    expect(r.status).toBe(500);
    expect(r.json).toEqual({ error: "internal server error" });
  });

  it("malformed: 200 with a body that is not JSON", async () => {
    const s = await sim(failing("malformed"));
    const res = await postJson(s.pingUrl("f"), pingBody());
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    const text = await res.text();
    expect(() => JSON.parse(text) as unknown).toThrow();
    expect(text).toContain('"bid"');
  });

  it("huge: a valid JSON body of the configured size (5 MB by default)", async () => {
    const s = await sim(failing("huge"));
    const res = await postJson(s.pingUrl("f"), pingBody());
    expect(Number(res.headers.get("content-length"))).toBe(5 * 1024 * 1024);
    const text = await res.text();
    expect(text.length).toBe(5 * 1024 * 1024);
    expect((JSON.parse(text) as { bid: number }).bid).toBe(12.5);
  });

  it("trickle: headers at once, the body in pieces, the last only after the configured time", async () => {
    const s = await sim(failing("trickle", { trickleMs: 600 }));
    const t0 = performance.now();
    // node:http rather than fetch, to see the body arrive piece by piece after the headers.
    const got = await new Promise<{ pieces: number; body: string }>((resolve, reject) => {
      const body = JSON.stringify(pingBody());
      const req = request(s.pingUrl("f"), {
        method: "POST",
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      });
      req.on("response", (res) => {
        expect(res.statusCode).toBe(200);
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ pieces: chunks.length, body: Buffer.concat(chunks).toString() }));
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end(body);
    });
    // A lower bound only: a busy machine makes the body later, never earlier.
    expect(performance.now() - t0).toBeGreaterThanOrEqual(600);
    // The headers came first and the body after them in several pieces, not all at the end.
    expect(got.pieces).toBeGreaterThan(1);
    expect((JSON.parse(got.body) as { bid: number }).bid).toBe(12.5);
  });

  it("failures apply after the latency, and a readable bid (huge, trickle) can be posted", async () => {
    const s = await sim(failing("huge", { hugeBodyBytes: 4096, latencyMs: { kind: "fixed", value: 100 } }));
    const t0 = performance.now();
    const { sent, json } = await ping(s, "f");
    expect(performance.now() - t0).toBeGreaterThanOrEqual(95);
    expect((json as { bid: number }).bid).toBe(12.5);
    const r = await postJson(s.postUrl("f"), { pingId: sent.pingId, leadId: sent.leadId, bidCents: 1250, lead: {} });
    expect(await r.json()).toEqual({ accepted: true });
  });

  it("post failures leave the ping on file, so the buyer can still take the lead", async () => {
    const s = await sim({
      networks: { f: { bid: { kind: "fixed", value: 10 }, failures: { post: { error500: 1 } } } },
    });
    const { sent } = await ping(s, "f");
    const body = { pingId: sent.pingId, leadId: sent.leadId, bidCents: 1000, lead: {} };
    expect((await postJson(s.postUrl("f"), body)).status).toBe(500);
    s.patchBuyer("f", { failures: {} });
    expect(await (await postJson(s.postUrl("f"), body)).json()).toEqual({ accepted: true });
    expect(s.stats().networks.f).toMatchObject({ posts: 2, accepts: 1, postFailures: { error500: 1 } });
  });

  it("mixes failures at about the configured rates", async () => {
    const s = await sim({ seed: 3, networks: { m: { failures: { ping: { error500: 0.3, malformed: 0.2 } } } } });
    const statuses: number[] = [];
    for (let i = 0; i < 200; i++) statuses.push((await postJson(s.pingUrl("m"), pingBody())).status);
    const n500 = statuses.filter((x) => x === 500).length;
    expect(n500).toBeGreaterThan(35);
    expect(n500).toBeLessThan(85);
    const f = s.stats().networks.m?.pingFailures;
    expect((f?.error500 ?? 0) + (f?.malformed ?? 0) + (s.stats().networks.m?.bids ?? 0)).toBe(200);
  });
});
