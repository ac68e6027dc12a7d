// The sale rules under races, on real PostgreSQL with a pool of separate connections: a lead is
// sold once however many sales race, a daily cap is never overrun, and two copies of one person
// arriving together are sold to a buyer once. Each case runs several rounds.
import { claimSale, closeBuyerAgent, createLead, parseIntake, runAuction } from "@leadflow/api";
import { buyers, leads, transactions } from "@leadflow/db";
import type { Buyer } from "@leadflow/engine";
import { and, count, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addContractor, addNetwork, eventsOf, leadBody, leadOf, makeWorld, txOf, type World } from "./world";

let w: World;
beforeAll(async () => {
  w = await makeWorld(
    { networks: { dupcheck: { bid: { kind: "fixed", value: 10 }, latencyMs: { kind: "fixed", value: 150 } } } },
    { max: 60 },
  );
});
afterAll(async () => {
  await w?.close();
  await closeBuyerAgent();
});

const ROUNDS = 5;
// Usually a few seconds per case; generous for shared, loaded test machines.
const SLOW = 180_000;

async function newLead(body = leadBody()) {
  return (await createLead(w.s, w.sellerOrgId, parseIntake(body))).id;
}

describe("sales under concurrency", () => {
  it(
    "50 concurrent exclusive sales of one lead sell it once",
    async () => {
      const contractors: string[] = [];
      for (let i = 0; i < 50; i++)
        contractors.push(await addContractor(w, { pricingModel: "FIXED", fixedLeadPriceCents: 1000 + i }));
      const rows = await w.t.db.select().from(buyers).where(inArray(buyers.id, contractors));
      for (let round = 0; round < ROUNDS; round++) {
        const leadId = await newLead();
        await w.t.db.update(leads).set({ status: "PROCESSING" }).where(eq(leads.id, leadId));
        const results = await Promise.all(
          rows.map((row) =>
            claimSale(w.s.db, {
              leadId,
              buyer: {
                id: row.id,
                type: "CONTRACTOR",
                active: true,
                verticals: row.verticals,
                serviceZips: [],
                timeZone: row.timeZone,
                deliveryMode: "EXCLUSIVE",
                maxSharedLeads: 1,
                pricingModel: "FIXED",
              } as Buyer,
              row,
              kind: "DIRECT",
              priceCents: row.fixedLeadPriceCents!,
              bidCents: null,
              limit: 1,
              cascadePosition: 1,
              at: w.clock.now(),
            }),
          ),
        );
        expect(results.filter((r) => r.ok)).toHaveLength(1);
        const [{ n }] = (await w.t.db
          .select({ n: count() })
          .from(transactions)
          .where(and(eq(transactions.leadId, leadId), eq(transactions.isWinner, true)))) as [{ n: number }];
        expect(n).toBe(1);
        expect((await leadOf(w, leadId)).winnerCount).toBe(1);
      }
    },
    SLOW,
  );

  it(
    "100 concurrent leads against a daily cap of 10 sell exactly 10",
    async () => {
      await w.t.db.delete(buyers);
      for (let round = 0; round < ROUNDS; round++) {
        const capped = await addContractor(w, { pricingModel: "FIXED", fixedLeadPriceCents: 1000, capDaily: 10 });
        const ids = await Promise.all(Array.from({ length: 100 }, () => newLead()));
        await Promise.all(ids.map((id) => runAuction(w.s, id)));
        const sold = await w.t.db
          .select({ n: count() })
          .from(leads)
          .where(and(inArray(leads.id, ids), eq(leads.status, "SOLD")));
        expect(sold[0]!.n).toBe(10);
        const wins = await w.t.db
          .select({ n: count() })
          .from(transactions)
          .where(and(eq(transactions.buyerId, capped), eq(transactions.isWinner, true)));
        expect(wins[0]!.n).toBe(10);
        const stuck = await w.t.db
          .select({ n: count() })
          .from(leads)
          .where(and(inArray(leads.id, ids), eq(leads.status, "PROCESSING")));
        expect(stuck[0]!.n).toBe(0);
        // Leads that raced past the early check were refused at the moment of sale.
        const refused = await w.t.db
          .select({ n: count() })
          .from(transactions)
          .where(and(eq(transactions.buyerId, capped), eq(transactions.lostReason, "CAP_REACHED")));
        expect(refused[0]!.n + wins[0]!.n).toBeLessThanOrEqual(100);
        await w.t.db.update(buyers).set({ active: false }).where(eq(buyers.id, capped));
      }
    },
    SLOW,
  );

  it(
    "two identical leads at the same moment: the second sale to a buyer is a DUPLICATE_LEAD",
    async () => {
      await w.t.db.delete(buyers);
      let refusedAtSale = 0;
      for (let round = 0; round < 10; round++) {
        // A network answering after 150 ms: both leads are planned (no sale yet, both eligible)
        // before either can sell, so the row lock and the re-check at sale decide.
        const buyer = await addNetwork(w, "dupcheck", { duplicateLookbackDays: 30 });
        const body = leadBody();
        const [a, b] = await Promise.all([
          newLead(body),
          newLead({ ...body, contact: { ...body.contact, email: "other@example.test" } }),
        ]);
        await Promise.all([runAuction(w.s, a), runAuction(w.s, b)]);
        const statuses = [(await leadOf(w, a)).status, (await leadOf(w, b)).status].sort();
        expect(statuses).toEqual(["SOLD", "UNSOLD"]);
        const loser = (await leadOf(w, a)).status === "UNSOLD" ? a : b;
        const tx = (await txOf(w, loser)).get(buyer);
        const verdict = (await eventsOf(w, loser)).find((e) => e.kind === "eligibility" && e.buyerId === buyer);
        if (tx) {
          expect(tx.lostReason).toBe("DUPLICATE_LEAD");
          refusedAtSale++;
        } else {
          expect(verdict?.data).toMatchObject({ eligible: false, reason: "DUPLICATE_LEAD" });
        }
        await w.t.db.update(buyers).set({ active: false }).where(eq(buyers.id, buyer));
      }
      // Both at once: both pass the early check and the lock decides (on a very slow machine a
      // round may plan late and be refused by the early check instead, which is also correct).
      expect(refusedAtSale).toBeGreaterThanOrEqual(5);
    },
    SLOW,
  );
});
