// The auction's own pool (DATABASE_AUCTION_POOL_SIZE, docs/scaling.md): with every connection of
// the main pool held by a query that cannot finish (it waits on a lock this test holds), a seller's
// ping and post are still answered, on the auction's connections. Without the pool the ping would
// queue behind that query and never be answered.
import { createDb, rowsOf, type DbHandle } from "@leadflow/db";
import { sql } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, expect, it } from "vitest";
import { buildApp } from "../app";
import { addNetwork, leadBody, makeWorld, type World } from "./world";

let w: World;
let main: DbHandle;
let app: FastifyInstance;

beforeAll(async () => {
  w = await makeWorld({ networks: { winner: { bid: { kind: "fixed", value: 22 } } } });
  await addNetwork(w, "winner");
  // The main pool: one connection, the auction's: the world's own pool.
  main = await createDb({ databaseUrl: w.t.url, max: 1 });
  app = await buildApp({
    services: { ...w.s, db: main.db, handle: main },
    auctionServices: w.s,
    dashboardDir: "/nonexistent",
  });
});
afterAll(async () => {
  await app?.close();
  await main?.close();
  await w?.close();
});

it("answers a ping and its post while every connection of the main pool is taken", async () => {
  // The lock, held by a transaction of the test's own until the end.
  let release!: () => void;
  let locked!: () => void;
  const isLocked = new Promise<void>((r) => (locked = r));
  const holder = w.t.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(4242)`);
    locked();
    await new Promise<void>((r) => (release = r));
  });
  await isLocked;
  let mainFree = false;
  // The main pool's only connection waits on the lock (a dashboard's slow read, say).
  const held = main.db.execute(sql`select pg_advisory_lock_shared(4242)`).then(() => (mainFree = true));
  try {
    // The main pool's query has started and waits on the lock.
    for (let waiting = 0; waiting === 0;) {
      const [r] = rowsOf<{ n: number }>(
        await w.t.db.execute(sql`select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted`),
      );
      waiting = r!.n;
      if (waiting === 0) await new Promise((r) => setTimeout(r, 20));
    }
    const full = leadBody();
    const { contact: _c, ...partial } = full;
    const headers = { authorization: `Bearer ${w.apiKey}`, "content-type": "application/json" };
    const pinged = await app.inject({ method: "POST", url: "/api/v1/ping", headers, payload: partial });
    expect(pinged.statusCode, pinged.body).toBe(200);
    const quote = pinged.json() as { pingId: string; accepted: boolean };
    expect(quote.accepted).toBe(true);
    const posted = await app.inject({
      method: "POST",
      url: "/api/v1/post",
      headers,
      payload: { ...full, pingId: quote.pingId },
    });
    expect(posted.statusCode, posted.body).toBe(201);
    expect(posted.json()).toMatchObject({ status: "SOLD" });
    expect(mainFree).toBe(false);
  } finally {
    release();
    await holder;
  }
  await held;
  expect(mainFree).toBe(true);
  const [sold] = rowsOf<{ n: number }>(
    await w.t.db.execute(sql`select count(*)::int as n from leads where status = 'SOLD'`),
  );
  expect(sold!.n).toBe(1);
});
