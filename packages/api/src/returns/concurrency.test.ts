// Returns under races on real PostgreSQL, each request in its own transaction on its own pooled
// connection: 20 requests for one sale make one request and one credit; 10 admins approving one
// request credit once; a buyer's concurrent returns of different leads never pass its cap.
import { leads, returnCredits, returnRequests } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { ManualClock } from "@leadflow/engine";
import { count, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeOrgUser, testServices } from "../testing";
import { adminDecideReturn } from "./decide-return";
import { requestReturn } from "./request-return";
import { addBuyer, addSeller, revenueOf, soldLead } from "./testing";

let t: TestDb;
const clock = new ManualClock("2026-03-16T15:00:00Z");
let s: ReturnType<typeof testServices>;
let seller: string;
const SLOW = 120_000;

beforeAll(async () => {
  t = await createTestDb({ max: 30 });
  s = testServices(t.db, clock);
  seller = await addSeller(t.db);
});
afterAll(() => t?.drop());

const settle = async <T>(ps: Promise<T>[]) => {
  const out = await Promise.allSettled(ps);
  return {
    ok: out.flatMap((o) => (o.status === "fulfilled" ? [o.value] : [])),
    errors: out.flatMap((o) =>
      o.status === "rejected" ? [(o.reason as { code?: string }).code ?? String(o.reason)] : [],
    ),
  };
};

describe("returns under concurrency", () => {
  it(
    "20 concurrent requests for one sale: one request, one credit, revenue down once (5 rounds)",
    async () => {
      const user = await makeOrgUser(t.db, "contractor");
      const buyer = await addBuyer(t.db, user.orgId, { returnCapPercent: 100 });
      for (let round = 0; round < 5; round++) {
        const leadId = await soldLead(
          t.db,
          seller,
          [{ buyerId: buyer.id, priceCents: 4200 }],
          new Date(clock.now().getTime() - 86_400_000),
        );
        // Prove the pool really hands out separate connections at once.
        const backends = new Set<number>();
        const r = await settle(
          Array.from({ length: 20 }, () =>
            s.db
              .transaction(async (tx) => {
                const [row] = (await tx.execute(sql`select pg_backend_pid() as pid`)) as unknown as { pid: number }[];
                backends.add(row!.pid);
              })
              .then(() =>
                requestReturn(s, { orgId: user.orgId, userId: user.id, via: "api" }, leadId, {
                  reason: "FAKE_OR_TEST",
                }),
              ),
          ),
        );
        expect(backends.size).toBeGreaterThan(1);
        expect(r.ok).toHaveLength(1);
        expect(r.ok[0]).toMatchObject({ status: "APPROVED", creditedCents: 4200 });
        expect(r.errors).toEqual(Array(19).fill("CONFLICT"));
        expect(
          (await t.db.select({ n: count() }).from(returnRequests).where(eq(returnRequests.leadId, leadId)))[0]!.n,
        ).toBe(1);
        const credits = await t.db.select().from(returnCredits).where(eq(returnCredits.leadId, leadId));
        expect(credits.map((c) => c.amountCents)).toEqual([4200]);
        expect(await revenueOf(t.db, leadId)).toBe(0);
      }
    },
    SLOW,
  );

  it(
    "10 admins approving one held request at once: one approval, one credit",
    async () => {
      const admin = await makeOrgUser(t.db, "admin");
      const user = await makeOrgUser(t.db, "contractor");
      const buyer = await addBuyer(t.db, user.orgId, { returnCapPercent: 0 });
      const leadId = await soldLead(
        t.db,
        seller,
        [{ buyerId: buyer.id, priceCents: 3100 }],
        new Date(clock.now().getTime() - 86_400_000),
      );
      const held = await requestReturn(s, { orgId: user.orgId, userId: user.id, via: "dashboard" }, leadId, {
        reason: "CONSUMER_DENIES",
      });
      expect(held.status).toBe("PENDING");
      const r = await settle(
        Array.from({ length: 10 }, (_, i) =>
          adminDecideReturn(s, admin.id, { id: held.id, decision: i % 2 ? "DENIED" : "APPROVED", note: `admin ${i}` }),
        ),
      );
      expect(r.ok).toHaveLength(1);
      expect(r.errors).toEqual(Array(9).fill("CONFLICT"));
      const credits = await t.db.select().from(returnCredits).where(eq(returnCredits.leadId, leadId));
      expect(credits.length).toBe(r.ok[0]!.status === "APPROVED" ? 1 : 0);
      const [lead] = await t.db.select({ r: leads.revenueCents }).from(leads).where(eq(leads.id, leadId));
      expect(lead!.r).toBe(r.ok[0]!.status === "APPROVED" ? 0 : 3100);
    },
    SLOW,
  );

  it(
    "a buyer's 12 concurrent returns of different leads never pass its cap: 15% of 20 approves exactly 3",
    async () => {
      const user = await makeOrgUser(t.db, "contractor");
      const buyer = await addBuyer(t.db, user.orgId);
      const ids: string[] = [];
      for (let i = 0; i < 20; i++)
        ids.push(
          await soldLead(
            t.db,
            seller,
            [{ buyerId: buyer.id, priceCents: 1000 }],
            new Date(clock.now().getTime() - 86_400_000),
          ),
        );
      const r = await settle(
        ids.slice(0, 12).map((leadId) =>
          requestReturn(s, { orgId: user.orgId, userId: null, via: "api" }, leadId, {
            reason: "OUTSIDE_SERVICE_AREA",
          }),
        ),
      );
      expect(r.errors).toEqual([]);
      expect(r.ok.filter((x) => x.status === "APPROVED")).toHaveLength(3);
      expect(r.ok.filter((x) => x.status === "PENDING")).toHaveLength(9);
      expect(
        (await t.db.select({ n: count() }).from(returnCredits).where(eq(returnCredits.buyerId, buyer.id)))[0]!.n,
      ).toBe(3);
    },
    SLOW,
  );
});
