// Group commit of auction results (finalize.ts): results that arrive while one write is on its
// way share the next statement, and a result that cannot be written fails alone: the leads it
// shared a statement with are written all the same.
import { closeBuyerAgent, createLead, parseIntake, writeResult, type ResultRow } from "@leadflow/api";
import { leadEvents, leads, transactions, type Db } from "@leadflow/db";
import { eq, inArray } from "drizzle-orm";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addContractor, leadBody, makeWorld, type World } from "./world";

let w: World;
let buyer: string;
beforeAll(async () => {
  w = await makeWorld();
  buyer = await addContractor(w, { pricingModel: "FIXED", fixedLeadPriceCents: 2500 });
});
afterAll(async () => {
  await w?.close();
  await closeBuyerAgent();
});

/** The database handle, counting the statements sent through it. */
function counting(db: Db) {
  const counter = { statements: 0 };
  const proxy = new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === "execute") counter.statements++;
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
  return { db: proxy, counter };
}

async function startedLeads(n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++)
    ids.push((await createLead(w.s, w.sellerOrgId, parseIntake(leadBody()), { start: true })).id);
  return ids;
}

function result(leadId: string, buyerId = buyer): ResultRow {
  const at = new Date().toISOString();
  return {
    lead_id: leadId,
    status: "SOLD",
    unsold: null,
    finished_at: at,
    revenue: 2500,
    winners: 1,
    plan_at: at,
    records: [
      {
        buyer_id: buyerId,
        kind: "DIRECT",
        is_winner: true,
        price_cents: 2500,
        cascade_position: 1,
        detail: "group commit test",
      },
    ],
    timeline: [
      { at: new Date(at), kind: "eligibility", buyerId, data: { eligible: true } },
      { at: new Date(at), kind: "outcome", buyerId: null, data: { status: "SOLD" } },
    ],
    owed: [{ buyer_id: buyerId, method: "DASHBOARD", webhook_id: `msg_${randomUUID()}` }],
  };
}

describe("auction results are written together", () => {
  it("eight results at once take two statements, each lead ends SOLD with its own rows, in timeline order", async () => {
    const ids = await startedLeads(8);
    const { db, counter } = counting(w.s.db);
    const written = await Promise.all(ids.map((id) => writeResult(db, result(id))));
    // The first goes alone; the other seven arrive while it is on its way and go together.
    expect(counter.statements).toBe(2);
    expect(written.every((x) => x.ended && x.deliveries.length === 1)).toBe(true);
    expect(new Set(written.flatMap((x) => x.deliveries)).size).toBe(8);
    const rows = await w.t.db.select().from(leads).where(inArray(leads.id, ids));
    expect(rows.map((r) => r.status)).toEqual(Array(8).fill("SOLD"));
    for (const id of ids) {
      const ev = await w.t.db.select().from(leadEvents).where(eq(leadEvents.leadId, id)).orderBy(leadEvents.id);
      expect(ev.map((e) => e.kind)).toEqual(["intake", "eligibility", "outcome"]);
      expect(await w.t.db.select().from(transactions).where(eq(transactions.leadId, id))).toHaveLength(1);
    }
  });

  it("a result that cannot be written fails alone; a lead already ended gets nothing written", async () => {
    const ids = await startedLeads(6);
    const bad = ids[3]!;
    const done = ids[5]!;
    await w.t.db.update(leads).set({ status: "UNSOLD" }).where(eq(leads.id, done));
    const { db } = counting(w.s.db);
    // A record naming a buyer that does not exist breaks the shared statement (foreign key).
    const settled = await Promise.allSettled(
      ids.map((id) => writeResult(db, id === bad ? result(id, randomUUID()) : result(id))),
    );
    expect(settled.map((x) => x.status)).toEqual([
      "fulfilled",
      "fulfilled",
      "fulfilled",
      "rejected",
      "fulfilled",
      "fulfilled",
    ]);
    expect((settled[5] as PromiseFulfilledResult<{ ended: boolean }>).value.ended).toBe(false);
    const status = new Map(
      (await w.t.db.select().from(leads).where(inArray(leads.id, ids))).map((r) => [r.id, r.status]),
    );
    expect(ids.map((id) => status.get(id))).toEqual(["SOLD", "SOLD", "SOLD", "PROCESSING", "SOLD", "UNSOLD"]);
    for (const id of [bad, done]) {
      expect(await w.t.db.select().from(transactions).where(eq(transactions.leadId, id))).toHaveLength(0);
      expect((await w.t.db.select().from(leadEvents).where(eq(leadEvents.leadId, id))).map((e) => e.kind)).toEqual([
        "intake",
      ]);
    }
  });
});
