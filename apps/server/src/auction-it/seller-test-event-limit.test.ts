// The seller webhook's "send test event" is limited per seller org (TEST_EVENTS_PER_WINDOW in any
// TEST_EVENT_WINDOW_MS), on real PostgreSQL with a real receiver on loopback: past the limit a
// clear TOO_MANY_REQUESTS saying when the next may go, nothing written and nothing sent; another
// org keeps its own allowance; the window slides with the (injected) clock; presses racing on
// separate connections cannot pass the limit together.
import { closeBuyerAgent, type SessionUser } from "@leadflow/api";
import { callerAs, makeOrgUser } from "@leadflow/api/testing";
import { sellerWebhookDeliveries } from "@leadflow/db";
import { and, count, eq } from "drizzle-orm";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeWorld, T0, type World } from "./world";

const LIMIT = 5;
const WINDOW_MS = 10 * 60_000;
const t0 = Date.parse(T0);

let w: World;
let server: Server;
let url = "";
let hits = 0;

beforeAll(async () => {
  w = await makeWorld({}, { max: 12 });
  server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      hits++;
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((r) => server?.close(() => r()));
  await closeBuyerAgent();
  await w?.close();
});

async function sellerWithHook(name: string): Promise<SessionUser> {
  const u = await makeOrgUser(w.t.db, "seller", name);
  await callerAs(w.s, u).sellerWebhooks.save({ url });
  return u;
}
const testRows = async (orgId: string) =>
  (
    await w.t.db
      .select({ n: count() })
      .from(sellerWebhookDeliveries)
      .where(and(eq(sellerWebhookDeliveries.sellerOrgId, orgId), eq(sellerWebhookDeliveries.eventType, "webhook.test")))
  )[0]!.n;

describe("send test event: a limit per seller org", () => {
  it(`sends ${LIMIT} in ${WINDOW_MS / 60_000} minutes, then refuses clearly, writing and sending nothing; another org is not affected; the window slides`, async () => {
    w.clock.set(T0);
    const a = await sellerWithHook("Limited Leads");
    const b = await sellerWithHook("Other Leads");
    const start = hits;
    for (let i = 0; i < LIMIT; i++) {
      await callerAs(w.s, a).sellerWebhooks.sendTest();
      w.clock.set(t0 + (i + 1) * 60_000); // one a minute: the first at T0, the last at T0 + 4 min
    }
    expect(hits - start).toBe(LIMIT);
    // At T0 + 5 min: the first (T0) leaves the window at T0 + 10 min, in 5 minutes.
    await expect(callerAs(w.s, a).sellerWebhooks.sendTest()).rejects.toMatchObject({
      code: "TOO_MANY_REQUESTS",
      message: expect.stringMatching(/sent 5 test events in the last 10 minutes.*in 5 minutes/),
    });
    expect(await testRows(a.orgId)).toBe(LIMIT);
    expect(hits - start).toBe(LIMIT);
    // Another seller org has its own allowance.
    await callerAs(w.s, b).sellerWebhooks.sendTest();
    expect(await testRows(b.orgId)).toBe(1);
    // 1 ms before the first leaves the window: still refused; once it has left: one more may go.
    w.clock.set(t0 + WINDOW_MS - 1);
    await expect(callerAs(w.s, a).sellerWebhooks.sendTest()).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    w.clock.set(t0 + WINDOW_MS);
    await callerAs(w.s, a).sellerWebhooks.sendTest();
    await expect(callerAs(w.s, a).sellerWebhooks.sendTest()).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    expect(await testRows(a.orgId)).toBe(LIMIT + 1);
    w.clock.set(T0);
  });

  it("lets exactly the limit through when presses race on separate connections", async () => {
    w.clock.set(t0 + 3 * WINDOW_MS);
    const c = await sellerWithHook("Racing Leads");
    const results = await Promise.allSettled(
      Array.from({ length: LIMIT + 4 }, () => callerAs(w.s, c).sellerWebhooks.sendTest()),
    );
    const ok = results.filter((r) => r.status === "fulfilled").length;
    const refused = results.filter(
      (r) => r.status === "rejected" && (r.reason as { code?: string }).code === "TOO_MANY_REQUESTS",
    ).length;
    expect([ok, refused]).toEqual([LIMIT, 4]);
    expect(await testRows(c.orgId)).toBe(LIMIT);
    w.clock.set(T0);
  });
});
