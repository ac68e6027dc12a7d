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
    await boss.stop({ graceful: false, wait: true });
    await h.close();
  });

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
      await boss.stop({ graceful: false, wait: true });
    });
  });
});
