// The buyer's money on real PostgreSQL (and PGlite): the ledger is append-only, the balance the
// triggers keep always equals its sum, a prepaid balance is never overdrawn however many sales
// race for it, money budgets follow the buyer's own midnight, and every sale, release, return
// credit and top-up lands on the ledger (docs/billing.md).
import {
  buyerBalances,
  buyerLedger,
  buyers,
  createDb,
  insertTopUp,
  ledgerSumsAndBalances,
  leads,
  loadPingContext,
  migrateDb,
  returnCredits,
  returnRequests,
  rowsOf,
  startReceivedLeads,
  type Db,
} from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { type Buyer, type BillingMode } from "@leadflow/engine";
import { eq, sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readCounters } from "../auction/load";
import { claimSale, releaseSale } from "../auction/sale";
import { addSeller } from "../returns/testing";
import { sqlPropertyRuns } from "../testing";

let t: TestDb;
let seller: string;
beforeAll(async () => {
  t = await createTestDb({ max: 20 });
  seller = await addSeller(t.db);
});
afterAll(async () => {
  await t?.drop();
});

let n = 0;
interface MoneyTerms {
  mode: BillingMode;
  creditLimitCents?: number | null;
  budgetDailyCents?: number | null;
  budgetMonthlyCents?: number | null;
  timeZone?: string;
}

async function addBuyer(db: Db, orgId: string, m: MoneyTerms) {
  const [row] = await db
    .insert(buyers)
    .values({
      orgId,
      name: `money ${++n}`,
      type: "CONTRACTOR",
      verticals: ["roofing"],
      timeZone: m.timeZone ?? "America/Chicago",
      duplicateLookbackDays: 0,
      pricingModel: "FIXED",
      fixedLeadPriceCents: 100,
      billingMode: m.mode,
      creditLimitCents: m.creditLimitCents ?? null,
      budgetDailyCents: m.budgetDailyCents ?? null,
      budgetMonthlyCents: m.budgetMonthlyCents ?? null,
    })
    .returning();
  const buyer: Buyer = {
    id: row!.id,
    type: "CONTRACTOR",
    active: true,
    verticals: ["roofing"],
    serviceZips: [],
    timeZone: row!.timeZone,
    duplicateLookbackDays: 0,
    deliveryMode: "EXCLUSIVE",
    maxSharedLeads: 1,
    pricingModel: "FIXED",
    fixedLeadPriceCents: 100,
    billing: {
      mode: m.mode,
      creditLimitCents: row!.creditLimitCents,
      budgetDailyCents: row!.budgetDailyCents,
      budgetMonthlyCents: row!.budgetMonthlyCents,
    },
  };
  return { row: row!, buyer };
}

async function processingLeads(db: Db, orgId: string, count: number, at: Date) {
  const rows = await db
    .insert(leads)
    .values(
      Array.from({ length: count }, () => {
        const i = ++n;
        return {
          sellerOrgId: orgId,
          vertical: "roofing",
          zip: "38103",
          status: "PROCESSING" as const,
          contact: { firstName: "Pat", lastName: `P${i}`, phone: `90155${String(i).padStart(5, "0")}` },
          phoneNormalized: `90155${String(i).padStart(5, "0")}`,
          receivedAt: at,
        };
      }),
    )
    .returning({ id: leads.id });
  return rows.map((r) => r.id);
}

async function balanceOf(db: Db, buyerId: string): Promise<number> {
  const [b] = await db.select().from(buyerBalances).where(eq(buyerBalances.buyerId, buyerId));
  return b?.balanceCents ?? 0;
}

async function expectLedgerEqualsBalances(db: Db) {
  const all = await ledgerSumsAndBalances(db);
  expect(all.length).toBeGreaterThan(0);
  for (const r of all) expect(r.balanceCents, r.buyerId).toBe(r.ledgerCents);
}

const sale = (leadId: string, b: Awaited<ReturnType<typeof addBuyer>>, priceCents: number, at: Date) => ({
  leadId,
  buyer: b.buyer,
  row: b.row,
  kind: "DIRECT" as const,
  priceCents,
  bidCents: null,
  limit: 1,
  cascadePosition: null,
  at,
});

const AT = new Date("2026-03-10T15:00:00Z");

/** The database's words for a refused statement (drizzle wraps them as the error's cause). */
async function refusal(p: PromiseLike<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    const cause = (e as { cause?: unknown }).cause;
    return String(cause instanceof Error ? cause.message : e);
  }
  return "not refused";
}

/** 50 sales of 100¢ race for a prepaid balance of 1,000¢: exactly 10 are made, the rest refused. */
async function race(db: Db, orgId: string) {
  const b = await addBuyer(db, orgId, { mode: "PREPAID" });
  await insertTopUp(db, { buyerId: b.row.id, amountCents: 1000, note: "ten leads", key: "race", by: null });
  const ids = await processingLeads(db, orgId, 50, AT);
  const claims = await Promise.all(ids.map((id) => claimSale(db, sale(id, b, 100, AT))));
  const made = claims.filter((c) => c.ok);
  const refused = claims.filter((c) => !c.ok);
  expect(made).toHaveLength(10);
  expect(new Set(refused.map((c) => (c.ok ? null : c.reason)))).toEqual(new Set(["INSUFFICIENT_FUNDS"]));
  expect(await balanceOf(db, b.row.id)).toBe(0);
  const charges = await db.select().from(buyerLedger).where(eq(buyerLedger.buyerId, b.row.id));
  expect(charges.filter((e) => e.kind === "CHARGE")).toHaveLength(10);
  return b;
}

describe("the buyer ledger on PostgreSQL", () => {
  it("is append-only: an entry can be neither changed nor removed", async () => {
    const b = await addBuyer(t.db, seller, { mode: "PREPAID" });
    const { entry } = await insertTopUp(t.db, { buyerId: b.row.id, amountCents: 500, note: null, key: "k1", by: null });
    expect(
      await refusal(t.db.update(buyerLedger).set({ amountCents: 50_000 }).where(eq(buyerLedger.id, entry.id))),
    ).toMatch(/append-only: UPDATE refused/);
    expect(await refusal(t.db.delete(buyerLedger).where(eq(buyerLedger.id, entry.id)))).toMatch(
      /append-only: DELETE refused/,
    );
    // Nor the balance by hand: it is whatever the ledger sums to.
    expect(await balanceOf(t.db, b.row.id)).toBe(500);
  });

  it("takes a top-up once per idempotency key (a double submit is one top-up)", async () => {
    const b = await addBuyer(t.db, seller, { mode: "PREPAID" });
    const twice = await Promise.all([
      insertTopUp(t.db, { buyerId: b.row.id, amountCents: 700, note: "wire", key: "form-1", by: null }),
      insertTopUp(t.db, { buyerId: b.row.id, amountCents: 700, note: "wire", key: "form-1", by: null }),
    ]);
    expect(twice.filter((x) => x.created)).toHaveLength(1);
    expect(twice[0]!.entry.id).toBe(twice[1]!.entry.id);
    expect(await balanceOf(t.db, b.row.id)).toBe(700);
    await insertTopUp(t.db, { buyerId: b.row.id, amountCents: 300, note: null, key: "form-2", by: null });
    expect(await balanceOf(t.db, b.row.id)).toBe(1000);
  });

  it("sells exactly 10 of 50 concurrent sales against a balance that covers 10", async () => {
    await race(t.db, seller);
    await expectLedgerEqualsBalances(t.db);
  }, 120_000);

  it("lets a credit-limit buyer go below zero down to its limit, and no further", async () => {
    const b = await addBuyer(t.db, seller, { mode: "CREDIT_LIMIT", creditLimitCents: 250 });
    const ids = await processingLeads(t.db, seller, 4, AT);
    const got = [];
    for (const id of ids) got.push(await claimSale(t.db, sale(id, b, 100, AT)));
    expect(got.map((c) => (c.ok ? "sold" : c.reason))).toEqual([
      "sold",
      "sold",
      "INSUFFICIENT_FUNDS",
      "INSUFFICIENT_FUNDS",
    ]);
    expect(await balanceOf(t.db, b.row.id)).toBe(-200);
    expect(got[2]).toMatchObject({ detail: expect.stringMatching(/credit limit \$2\.50/) });
  });

  it("never limits an invoiced buyer, whose balance is what it owes", async () => {
    const b = await addBuyer(t.db, seller, { mode: "INVOICED" });
    const ids = await processingLeads(t.db, seller, 3, AT);
    for (const id of ids) expect(await claimSale(t.db, sale(id, b, 1000, AT))).toEqual({ ok: true });
    expect(await balanceOf(t.db, b.row.id)).toBe(-3000);
  });

  it("keeps a daily money budget in the buyer's own day, across its midnight", async () => {
    // Chicago keeps daylight time from 8 March 2026 (UTC-5): 23:50 local on 9 March is 04:50 UTC
    // on the 10th, 00:10 local on the 10th is 05:10 UTC. (UTC's own midnight changes nothing.)
    const b = await addBuyer(t.db, seller, { mode: "INVOICED", budgetDailyCents: 250, timeZone: "America/Chicago" });
    const before = new Date("2026-03-10T04:50:00Z");
    const after = new Date("2026-03-10T05:10:00Z");
    const ids = await processingLeads(t.db, seller, 6, before);
    const at = [before, before, before, after, after, after];
    const got = [];
    for (const [k, id] of ids.entries()) got.push(await claimSale(t.db, sale(id, b, 100, at[k]!)));
    expect(got.map((c) => (c.ok ? "sold" : c.reason))).toEqual([
      "sold",
      "sold",
      "CAP_REACHED", // 200 spent: another 100 would pass 250
      "sold", // a new local day
      "sold",
      "CAP_REACHED",
    ]);
    expect(got[2]).toMatchObject({ detail: expect.stringMatching(/daily budget \$2\.50 reached/) });
  });

  it("keeps a monthly money budget, with the budget spent (not the price) refusing at the auction's start", async () => {
    const b = await addBuyer(t.db, seller, { mode: "PREPAID", budgetMonthlyCents: 300 });
    await insertTopUp(t.db, { buyerId: b.row.id, amountCents: 10_000, note: null, key: "m", by: null });
    const ids = await processingLeads(t.db, seller, 3, AT);
    expect(await claimSale(t.db, sale(ids[0]!, b, 200, AT))).toMatchObject({ ok: true, balanceCents: 9800 });
    expect(await claimSale(t.db, sale(ids[1]!, b, 200, AT))).toMatchObject({ ok: false, reason: "CAP_REACHED" });
    expect(await claimSale(t.db, sale(ids[2]!, b, 100, AT))).toMatchObject({ ok: true, balanceCents: 9700 });
  });

  it("brings the money buyers' balances with the auction's start, so their pre-check reads nothing more", async () => {
    const prepaid = await addBuyer(t.db, seller, { mode: "PREPAID" });
    const credit = await addBuyer(t.db, seller, { mode: "CREDIT_LIMIT", creditLimitCents: 1000 });
    const budgeted = await addBuyer(t.db, seller, { mode: "PREPAID", budgetDailyCents: 500 });
    const invoiced = await addBuyer(t.db, seller, { mode: "INVOICED" });
    await insertTopUp(t.db, { buyerId: prepaid.row.id, amountCents: 500, note: null, key: "start", by: null });
    const [id] = await processingLeads(t.db, seller, 1, AT);
    await t.db.update(leads).set({ status: "RECEIVED" }).where(eq(leads.id, id!));
    const [started] = await startReceivedLeads(t.db, [id!], AT, null);
    expect(started!.balances[prepaid.row.id]).toBe(500);
    expect(started!.balances[credit.row.id]).toBe(0);
    expect(started!.balances).not.toHaveProperty(invoiced.row.id);
    // The ping's context read brings them too.
    expect((await loadPingContext(t.db, seller, "roofing")).balances[prepaid.row.id]).toBe(500);
    // Only the budgeted buyer's spend is still read; without it, no query at all.
    const noQueries = {
      execute: () => Promise.reject(new Error("readCounters queried the database")),
    } as unknown as Db;
    const counters = await readCounters(noQueries, [prepaid.row, credit.row, invoiced.row], AT, {}, started!.balances);
    expect(counters[prepaid.row.id]!.money).toEqual({ balanceCents: 500, spentTodayCents: 0, spentThisMonthCents: 0 });
    expect(counters[credit.row.id]!.money?.balanceCents).toBe(0);
    expect(counters[invoiced.row.id]!.money).toBeUndefined();
    await expect(readCounters(noQueries, [budgeted.row], AT, {}, started!.balances)).rejects.toThrow(/queried/);
    const read = await readCounters(t.db, [budgeted.row, prepaid.row], AT, {}, started!.balances);
    expect(read[budgeted.row.id]!.money).toEqual({ balanceCents: 0, spentTodayCents: 0, spentThisMonthCents: 0 });
  });

  it("releases an undone sale and credits an approved return on the ledger", async () => {
    const b = await addBuyer(t.db, seller, { mode: "PREPAID" });
    await insertTopUp(t.db, { buyerId: b.row.id, amountCents: 1000, note: null, key: "r", by: null });
    const [l1, l2] = await processingLeads(t.db, seller, 2, AT);
    expect(await claimSale(t.db, sale(l1!, b, 600, AT))).toMatchObject({ ok: true, balanceCents: 400 });
    // Its POST refused: the reservation is undone, and so is its charge.
    await releaseSale(t.db, l1!, b.row.id);
    expect(await balanceOf(t.db, b.row.id)).toBe(1000);
    expect(await claimSale(t.db, sale(l2!, b, 600, AT))).toMatchObject({ ok: true, balanceCents: 400 });
    // An approved return of l2's sale: the credit row (returns service) credits the ledger.
    const [tx] = rowsOf<{ id: string }>(
      await t.db.execute(
        sql`select id from transactions where lead_id = ${l2!}::uuid and buyer_id = ${b.row.id}::uuid`,
      ),
    );
    const [req] = await t.db
      .insert(returnRequests)
      .values({
        saleId: tx!.id,
        leadId: l2!,
        buyerId: b.row.id,
        reason: "INVALID_PHONE",
        via: "api",
        priceCents: 600,
        status: "APPROVED",
        rule: "ADMIN",
        ruleDetail: "test",
      })
      .returning();
    await t.db
      .insert(returnCredits)
      .values({ saleId: tx!.id, returnId: req!.id, leadId: l2!, buyerId: b.row.id, amountCents: 600 });
    expect(await balanceOf(t.db, b.row.id)).toBe(1000);
    const kinds = (await t.db.select().from(buyerLedger).where(eq(buyerLedger.buyerId, b.row.id)))
      .sort((x, y) => x.id - y.id)
      .map((e) => [e.kind, e.amountCents, e.leadId]);
    expect(kinds).toEqual([
      ["TOP_UP", 1000, null],
      ["CHARGE", -600, l1],
      ["RELEASE", 600, l1],
      ["CHARGE", -600, l2],
      ["RETURN_CREDIT", 600, l2],
    ]);
  });

  it("after any sequence of sales, releases, returns and top-ups, each balance is its ledger's sum", async () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant("sale" as const), price: fc.integer({ min: 0, max: 900 }), who: fc.nat(2) }),
      fc.record({ kind: fc.constant("release" as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant("return" as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant("topUp" as const), amount: fc.integer({ min: 0, max: 2000 }), who: fc.nat(2) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 14 }), async (ops) => {
        const team = [
          await addBuyer(t.db, seller, { mode: "PREPAID" }),
          await addBuyer(t.db, seller, { mode: "CREDIT_LIMIT", creditLimitCents: 1000 }),
          await addBuyer(t.db, seller, { mode: "INVOICED", budgetDailyCents: 2000 }),
        ];
        const sold: { lead: string; b: (typeof team)[number]; price: number; returned: boolean; released: boolean }[] =
          [];
        const expected = [0, 0, 0];
        for (const o of ops) {
          if (o.kind === "sale") {
            const [lead] = await processingLeads(t.db, seller, 1, AT);
            const b = team[o.who]!;
            const c = await claimSale(t.db, sale(lead!, b, o.price, AT));
            if (c.ok) {
              sold.push({ lead: lead!, b, price: o.price, returned: false, released: false });
              expected[o.who]! -= o.price;
            }
          } else if (o.kind === "topUp") {
            const b = team[o.who]!;
            await insertTopUp(t.db, { buyerId: b.row.id, amountCents: o.amount, note: null, key: `p${++n}`, by: null });
            expected[o.who]! += o.amount;
          } else {
            const open = sold.filter((s) => !s.returned && !s.released);
            const s = open[o.pick % Math.max(open.length, 1)];
            if (!s) continue;
            const who = team.indexOf(s.b);
            if (o.kind === "release") {
              await releaseSale(t.db, s.lead, s.b.row.id);
              s.released = true;
            } else {
              const [tx] = rowsOf<{ id: string }>(
                await t.db.execute(
                  sql`select id from transactions where lead_id = ${s.lead}::uuid and buyer_id = ${s.b.row.id}::uuid`,
                ),
              );
              const [req] = await t.db
                .insert(returnRequests)
                .values({
                  saleId: tx!.id,
                  leadId: s.lead,
                  buyerId: s.b.row.id,
                  reason: "INVALID_PHONE",
                  via: "api",
                  priceCents: s.price,
                  status: "APPROVED",
                  rule: "ADMIN",
                  ruleDetail: "test",
                })
                .returning();
              await t.db.insert(returnCredits).values({
                saleId: tx!.id,
                returnId: req!.id,
                leadId: s.lead,
                buyerId: s.b.row.id,
                amountCents: s.price,
              });
              s.returned = true;
            }
            expected[who]! += s.price;
          }
        }
        for (const [k, b] of team.entries()) expect(await balanceOf(t.db, b.row.id)).toBe(expected[k]);
        // Never below zero for the prepaid one, never below its limit for the other.
        expect(await balanceOf(t.db, team[0]!.row.id)).toBeGreaterThanOrEqual(0);
        expect(await balanceOf(t.db, team[1]!.row.id)).toBeGreaterThanOrEqual(-1000);
      }),
      { numRuns: Math.max(10, Math.floor(sqlPropertyRuns() / 4)) },
    );
    await expectLedgerEqualsBalances(t.db);
  }, 600_000);
});

describe("the buyer ledger on PGlite", () => {
  it("sells exactly 10 of 50 concurrent sales against a balance that covers 10", async () => {
    // PGlite is one connection, so the sales queue rather than compete for locks: the same
    // function must still refuse the 40 the balance does not cover.
    const h = await createDb({ dataDir: "memory://" });
    try {
      await migrateDb(h);
      const org = await addSeller(h.db);
      await race(h.db, org);
      await expectLedgerEqualsBalances(h.db);
    } finally {
      await h.close();
    }
  }, 600_000);
});
