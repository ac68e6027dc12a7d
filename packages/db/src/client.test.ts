import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { createBoss } from "./boss";
import { createDb, migrateDb, rowsOf } from "./client";
import { orgs } from "./schema";
import { createTestDb } from "./testing";

describe("createDb", () => {
  it("migrates and runs pg-boss jobs on PGlite", async () => {
    const h = await createDb({ dataDir: "memory://" });
    await migrateDb(h);
    await h.db.insert(orgs).values({ name: "Acme", kind: "contractor" });
    const rows = rowsOf<{ n: number }>(await h.db.execute(sql`select count(*)::int as n from orgs`));
    expect(rows[0]!.n).toBe(1);

    const boss = createBoss(h);
    await boss.start();
    await boss.createQueue("ping");
    const got = new Promise<unknown>((resolve) => {
      void boss.work<{ x: number }>("ping", { pollingIntervalSeconds: 0.5 }, async ([job]) => resolve(job!.data.x));
    });
    await boss.send("ping", { x: 42 });
    expect(await got).toBe(42);
    await boss.stop({ graceful: true, wait: true });
    await h.close();
  }, 600_000); // PGlite's initdb, the migrations and pg-boss's schema: minutes on a busy machine

  describe("on the PostgreSQL server", () => {
    let t: Awaited<ReturnType<typeof createTestDb>>;
    afterAll(async () => t?.drop());

    it("migrates a fresh database and runs pg-boss jobs", async () => {
      t = await createTestDb();
      await t.db.insert(orgs).values({ name: "Acme", kind: "network" });
      const rows = rowsOf<{ n: number }>(await t.db.execute(sql`select count(*)::int as n from orgs`));
      expect(rows[0]!.n).toBe(1);
      const boss = createBoss(t);
      await boss.start();
      await boss.createQueue("ping");
      const got = new Promise<unknown>((resolve) => {
        void boss.work<{ x: number }>("ping", { pollingIntervalSeconds: 0.5 }, async ([job]) => resolve(job!.data.x));
      });
      await boss.send("ping", { x: 7 });
      expect(await got).toBe(7);
      await boss.stop({ graceful: true, wait: true });
    }, 300_000); // a fresh database, the migrations and pg-boss's schema: minutes on a busy machine

    // drizzle sends queries unprepared; the client wrapper makes them prepared statements, inside
    // transactions too (one round trip a query, no parse each time), unless turned off.
    it("prepares drizzle's queries, in and out of transactions, unless prepare is false", async () => {
      t ??= await createTestDb();
      const prepared = async (db: typeof t.db) =>
        db.transaction(async (tx) => {
          await tx.execute(sql`select ${"x"}::text as probe_a`);
          await tx
            .select()
            .from(orgs)
            .where(sql`${orgs.name} = ${"nobody"}`);
          const [r] = rowsOf<{ n: number }>(
            await tx.execute(
              sql`select count(*)::int as n from pg_prepared_statements where statement like ${"%probe_a%"} or statement like ${'%from "orgs"%'}`,
            ),
          );
          return r!.n;
        });
      expect(await prepared(t.db)).toBe(2);
      const off = await createDb({ databaseUrl: t.url, max: 2, prepare: false });
      try {
        expect(await prepared(off.db)).toBe(0);
      } finally {
        await off.close();
      }
    });
  });
});
