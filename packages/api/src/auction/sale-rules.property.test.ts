// The caps and duplicate look-back live once, in the engine (countSales → checkSaleRules); three
// copies count them for speed: claim_sale in SQL at the moment of sale, readCounters when an
// auction starts, and the replay's SimulatedCounters. Each generated case (a buyer's caps, zone and
// look-back, its earlier sales placed around the local day, week and month starts and the look-back
// edge, some of them of the same person) goes to all four, which must give the same verdict.
// The buyer's money (docs/billing.md) too: a billing mode, credit limit, daily and monthly money
// budgets, a top-up and priced past sales; the engine's countMoney → checkSaleRules at the sale's
// price against claim_sale (which reads the balance the ledger's triggers keep) and readCounters.
// The replay's counters are held to the same verdict; its money (SimulatedMoney, rebuilt from the
// ledger as recorded) is held to what claim_sale reads at each lead of a generated sequence of
// top-ups, sales and approved returns across the buyer's midnight at a month's end.
import {
  buyerLedger,
  buyers,
  claimSaleRow,
  insertTopUp,
  leads,
  listReplayMoney,
  personSalesSql,
  returnCredits,
  returnRequests,
  rowsOf,
  transactions,
} from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import {
  BILLING_MODES,
  checkSaleRules,
  countMoney,
  countSales,
  duplicateLookbackStart,
  localPeriods,
  needsMoney,
  NO_SALES,
  type Buyer,
  type BuyerMoney,
  type PastSale,
} from "@leadflow/engine";
import fc from "fast-check";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SimulatedCounters } from "../insight/replay";
import { SimulatedMoney } from "../insight/replay-money";
import { addSeller } from "../returns/testing";
import { sqlPropertyRuns } from "../testing";
import { claimSale } from "./sale";
import { readCounters, type PersonSales } from "./load";

let t: TestDb;
let seller: string;
beforeAll(async () => {
  t = await createTestDb({ max: 4 });
  seller = await addSeller(t.db);
});
afterAll(async () => {
  await t?.drop();
});

const DAY = 86_400_000;
const ZONES = [
  "America/Chicago",
  "America/New_York",
  "UTC",
  "Asia/Kolkata",
  "Pacific/Chatham",
  "Australia/Lord_Howe",
] as const;
type Who = "both" | "phone" | "email" | "none";

const caseArb = fc.record({
  zone: fc.constantFrom(...ZONES),
  // A day of 2026 (DST changes included), then the instant near one of its period starts.
  dayOfYear: fc.integer({ min: 0, max: 364 }),
  edge: fc.constantFrom("day", "week", "month"),
  offsetMs: fc.oneof(fc.integer({ min: -3 * 3_600_000, max: 3 * 3_600_000 }), fc.constantFrom(0, 1, -1, 1000, -1000)),
  caps: fc.record({
    daily: fc.option(fc.integer({ min: 0, max: 4 })),
    weekly: fc.option(fc.integer({ min: 0, max: 6 })),
    monthly: fc.option(fc.integer({ min: 0, max: 8 })),
  }),
  lookbackDays: fc.constantFrom(0, 1, 7, 30, 45),
  billing: fc.record({
    mode: fc.constantFrom(...BILLING_MODES),
    creditLimitCents: fc.option(fc.constantFrom(0, 500, 1000, 2500)),
    budgetDailyCents: fc.option(fc.constantFrom(0, 300, 1000, 2000)),
    budgetMonthlyCents: fc.option(fc.constantFrom(0, 1000, 3000, 6000)),
  }),
  topUpCents: fc.constantFrom(0, 500, 1000, 3000, 10_000),
  priceCents: fc.constantFrom(0, 300, 1000, 1500),
  sales: fc.array(
    fc.record({
      // Relative to a period start or the look-back start (ms, small), or simply days back.
      anchor: fc.constantFrom("day", "week", "month", "back", "ago"),
      ms: fc.oneof(fc.constantFrom(0, -1, 1, -1000, 1000), fc.integer({ min: -2 * DAY, max: 2 * DAY })),
      daysAgo: fc.integer({ min: 0, max: 50 }),
      who: fc.constantFrom<Who>("both", "phone", "email", "none", "none"),
      priceCents: fc.constantFrom(0, 300, 1000),
    }),
    { maxLength: 8 },
  ),
});

let n = 0;

describe("the sale rules: claim_sale, readCounters and the replay's counters against the engine", () => {
  it("give the engine's verdict on every generated case", async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        const i = ++n;
        const base = new Date(Date.UTC(2026, 0, 1) + c.dayOfYear * DAY + 12 * 3_600_000);
        const edges = localPeriods(base, c.zone);
        const at = new Date(edges[c.edge].start.getTime() + c.offsetMs);
        const p = localPeriods(at, c.zone);
        const back = duplicateLookbackStart(at, c.lookbackDays);
        const person = { phone: `9015${String(i).padStart(6, "0")}`, email: `person${i}@example.test` };
        const other = (k: number) => ({
          phone: `8015${String(i * 10 + k).padStart(6, "0")}`,
          email: `other${i}.${k}@example.test`,
        });
        const sales: PastSale[] = c.sales
          .map((s, k) => {
            const from = { day: p.day.start, week: p.week.start, month: p.month.start, back, ago: at }[
              s.anchor
            ].getTime();
            const when = s.anchor === "ago" ? at.getTime() - s.daysAgo * DAY - Math.abs(s.ms) - 1 : from + s.ms;
            const o = other(k);
            const phone = s.who === "both" || s.who === "phone" ? person.phone : o.phone;
            const email = s.who === "both" || s.who === "email" ? person.email : o.email;
            return { at: new Date(Math.min(when, at.getTime() - 1)), phone, email, priceCents: s.priceCents };
          })
          .filter((s) => s.at.getTime() > at.getTime() - 60 * DAY);

        const [row] = await t.db
          .insert(buyers)
          .values({
            orgId: seller,
            name: `rules ${i}`,
            type: "CONTRACTOR",
            verticals: ["roofing"],
            timeZone: c.zone,
            duplicateLookbackDays: c.lookbackDays,
            capDaily: c.caps.daily,
            capWeekly: c.caps.weekly,
            capMonthly: c.caps.monthly,
            pricingModel: "FIXED",
            fixedLeadPriceCents: 1000,
            billingMode: c.billing.mode,
            creditLimitCents: c.billing.creditLimitCents,
            budgetDailyCents: c.billing.budgetDailyCents,
            budgetMonthlyCents: c.billing.budgetMonthlyCents,
          })
          .returning();
        if (c.topUpCents > 0) {
          await t.db.insert(buyerLedger).values({ buyerId: row!.id, kind: "TOP_UP", amountCents: c.topUpCents });
        }
        const lead = (phone: string, email: string, status: "SOLD" | "PROCESSING", at: Date) => ({
          sellerOrgId: seller,
          vertical: "roofing",
          zip: "38103",
          status,
          contact: { firstName: "Pat", lastName: "Person", phone, email },
          phoneNormalized: phone,
          emailNormalized: email,
          receivedAt: at,
        });
        const past = sales.length
          ? await t.db
              .insert(leads)
              .values(sales.map((s) => lead(s.phone!, s.email!, "SOLD", s.at)))
              .returning({ id: leads.id })
          : [];
        if (past.length) {
          await t.db.insert(transactions).values(
            past.map((l, k) => ({
              leadId: l.id,
              buyerId: row!.id,
              kind: "DIRECT" as const,
              isWinner: true,
              priceCents: sales[k]!.priceCents,
              createdAt: sales[k]!.at,
            })),
          );
        }
        const [current] = await t.db
          .insert(leads)
          .values(lead(person.phone, person.email, "PROCESSING", at))
          .returning({ id: leads.id });

        const buyer: Buyer = {
          id: row!.id,
          type: "CONTRACTOR",
          active: true,
          verticals: ["roofing"],
          serviceZips: [],
          timeZone: c.zone,
          caps: c.caps,
          duplicateLookbackDays: c.lookbackDays,
          deliveryMode: "EXCLUSIVE",
          maxSharedLeads: 1,
          pricingModel: "FIXED",
          fixedLeadPriceCents: 1000,
          billing: c.billing,
        };
        const verdict = (v: ReturnType<typeof checkSaleRules>) =>
          v.ok ? { ok: true } : { ok: false, reason: v.reason, detail: v.detail };
        const counted = countSales(sales, at, buyer, person);
        // The balance: the top-up less every past sale's charge (the ledger's triggers wrote them).
        const balance = c.topUpCents - sales.reduce((sum, s) => sum + (s.priceCents ?? 0), 0);
        const money = countMoney(sales, at, buyer, balance);
        const expected = verdict(checkSaleRules(buyer, { ...counted, money }, at, c.priceCents));
        const withoutMoney = verdict(checkSaleRules(buyer, counted, at));
        const ctx = { case: c, at: at.toISOString(), sales: sales.map((s) => s.at.toISOString()) };

        // The auction's start: who bought this person (the statement that starts it), then the counts.
        const [b] = rowsOf<{ bought: PersonSales | string }>(
          await t.db.execute(
            sql`select ${personSalesSql(sql`${current!.id}::uuid`, sql`${person.phone}::text`, sql`${person.email}::text`, sql`null::text`, sql`null::text`)} as bought`,
          ),
        );
        const bought = typeof b!.bought === "string" ? (JSON.parse(b!.bought) as PersonSales) : b!.bought;
        const atStart = await readCounters(t.db, [row!], at, bought);
        expect(verdict(checkSaleRules(buyer, atStart[row!.id]!, at, c.priceCents)), JSON.stringify(ctx)).toEqual(
          expected,
        );

        // The replay's counters over the same sales.
        const replayed = new SimulatedCounters(
          buyer,
          [...sales].sort((x, y) => x.at.getTime() - y.at.getTime()),
        ).at(at, person);
        expect(verdict(checkSaleRules(buyer, replayed, at)), JSON.stringify(ctx)).toEqual(withoutMoney);
        expect(verdict(checkSaleRules(buyer, { ...replayed, money }, at, c.priceCents)), JSON.stringify(ctx)).toEqual(
          expected,
        );

        // The moment of sale, last: a sale it allows is written.
        const claim = await claimSale(t.db, {
          leadId: current!.id,
          buyer,
          row: row!,
          kind: "DIRECT",
          priceCents: c.priceCents,
          bidCents: null,
          limit: 1,
          cascadePosition: null,
          at,
        });
        const { balanceCents, ...claimed } = claim as { ok: boolean; balanceCents?: number };
        expect(claimed, JSON.stringify(ctx)).toEqual(expected);
        // A sale made charged its price, and the balance it reports is the ledger's sum.
        if (claim.ok && balanceCents !== undefined)
          expect(balanceCents, JSON.stringify(ctx)).toBe(balance - c.priceCents);
      }),
      { numRuns: sqlPropertyRuns() },
    );
  }, 600_000);
});

const MINUTE = 60_000;
const moneyEvent = fc.oneof(
  fc.record({ kind: fc.constant("topUp" as const), amountCents: fc.constantFrom(300, 1000, 2500), min: fc.integer() }),
  fc.record({ kind: fc.constant("lead" as const), priceCents: fc.constantFrom(0, 300, 1000, 1500), min: fc.integer() }),
  fc.record({ kind: fc.constant("return" as const), pick: fc.nat(), min: fc.integer() }),
);

const moneyCaseArb = fc.record({
  zone: fc.constantFrom(...ZONES),
  // The end of one of 2026's months (and so a local midnight): the events fall within 36 hours of it.
  month: fc.integer({ min: 0, max: 11 }),
  billing: fc.record({
    mode: fc.constantFrom(...BILLING_MODES),
    creditLimitCents: fc.option(fc.constantFrom(0, 500, 2000)),
    budgetDailyCents: fc.option(fc.constantFrom(0, 1000, 2500)),
    budgetMonthlyCents: fc.option(fc.constantFrom(1000, 3000, 6000)),
  }),
  openingCents: fc.constantFrom(0, 1000, 3000),
  // Where the replay's window starts: leads before it are recorded history, not replayed.
  fromMin: fc.integer({ min: -40 * 60, max: 40 * 60 }),
  events: fc.array(moneyEvent, { minLength: 1, maxLength: 12 }),
});

describe("the replay's money against claim_sale", () => {
  it("sees at each replayed lead the balance and spend claim_sale read, and gives its verdict", async () => {
    await fc.assert(
      fc.asyncProperty(moneyCaseArb, async (c) => {
        const i = ++n;
        const midnight = localPeriods(new Date(Date.UTC(2026, c.month + 1, 1, 12)), c.zone).month.start;
        const span = 36 * 60;
        // Distinct, increasing instants (a ms apart at least), so "before" is never a tie.
        const events = c.events
          .map((e) => ({ ...e, min: (((e.min % span) + span) % span) * 2 - span }))
          .sort((a, b) => a.min - b.min)
          .map((e, k) => ({ ...e, at: new Date(midnight.getTime() + e.min * MINUTE + k) }));
        const from = new Date(midnight.getTime() + c.fromMin * MINUTE);
        const [row] = await t.db
          .insert(buyers)
          .values({
            orgId: seller,
            name: `money ${i}`,
            type: "CONTRACTOR",
            verticals: ["roofing"],
            timeZone: c.zone,
            duplicateLookbackDays: 0,
            pricingModel: "FIXED",
            fixedLeadPriceCents: 1000,
            billingMode: c.billing.mode,
            creditLimitCents: c.billing.creditLimitCents,
            budgetDailyCents: c.billing.budgetDailyCents,
            budgetMonthlyCents: c.billing.budgetMonthlyCents,
          })
          .returning();
        const buyerId = row!.id;
        const buyer: Buyer = {
          id: buyerId,
          type: "CONTRACTOR",
          active: true,
          verticals: ["roofing"],
          serviceZips: [],
          timeZone: c.zone,
          deliveryMode: "EXCLUSIVE",
          maxSharedLeads: 1,
          pricingModel: "FIXED",
          fixedLeadPriceCents: 1000,
          billing: c.billing,
        };
        const budgeted = c.billing.budgetDailyCents !== null || c.billing.budgetMonthlyCents !== null;
        const topUp = (amountCents: number, at: Date, key: string) =>
          insertTopUp(t.db, { buyerId, amountCents, note: null, key, by: null, at });
        if (c.openingCents > 0) await topUp(c.openingCents, new Date(midnight.getTime() - 3 * DAY), "opening");

        // Live: each lead is sold (or refused) by claim_sale at its moment; what it read is kept.
        const live: {
          leadId: string;
          at: Date;
          priceCents: number;
          money: BuyerMoney;
          ok: boolean;
          reason?: string;
        }[] = [];
        const sold: { leadId: string; saleId: string; priceCents: number; returned: boolean }[] = [];
        for (const [k, e] of events.entries()) {
          if (e.kind === "topUp") await topUp(e.amountCents, e.at, `t${k}`);
          else if (e.kind === "return") {
            const open = sold.filter((x) => !x.returned);
            const x = open[e.pick % Math.max(1, open.length)];
            if (!x) continue;
            const [req] = await t.db
              .insert(returnRequests)
              .values({
                saleId: x.saleId,
                leadId: x.leadId,
                buyerId,
                reason: "INVALID_PHONE",
                via: "api",
                priceCents: x.priceCents,
                status: "APPROVED",
                rule: "ADMIN",
                ruleDetail: "property test",
                createdAt: e.at,
              })
              .returning();
            await t.db.insert(returnCredits).values({
              saleId: x.saleId,
              returnId: req!.id,
              leadId: x.leadId,
              buyerId,
              amountCents: x.priceCents,
              createdAt: e.at,
            });
            x.returned = true;
          } else {
            const phone = `7015${String(i * 100 + k).padStart(7, "0")}`;
            const [l] = await t.db
              .insert(leads)
              .values({
                sellerOrgId: seller,
                vertical: "roofing",
                zip: "38103",
                status: "PROCESSING",
                contact: { firstName: "Pat", lastName: "Person", phone },
                phoneNormalized: phone,
                receivedAt: e.at,
                processingAt: e.at,
              })
              .returning({ id: leads.id });
            const p = localPeriods(e.at, c.zone);
            const r = await claimSaleRow(t.db, {
              leadId: l!.id,
              buyerId,
              kind: "DIRECT",
              priceCents: e.priceCents,
              bidCents: null,
              cascadePosition: null,
              at: e.at,
              limit: 1,
              capDaily: null,
              capWeekly: null,
              capMonthly: null,
              dayStart: p.day.start,
              weekStart: p.week.start,
              monthStart: p.month.start,
              duplicateSince: null,
              attempt: null,
              billingMode: c.billing.mode,
              creditLimitCents: c.billing.creditLimitCents,
              budgetDailyCents: c.billing.budgetDailyCents,
              budgetMonthlyCents: c.billing.budgetMonthlyCents,
            });
            const ok = r!.r_refused === null;
            // What it read under the lock: a sale made reports the state after its own charge.
            const back = ok ? e.priceCents : 0;
            const money = {
              balanceCents: Number(r!.r_balance) + back,
              spentTodayCents: Number(r!.r_spent_day) - (budgeted ? back : 0),
              spentThisMonthCents: Number(r!.r_spent_month) - (budgeted ? back : 0),
            };
            // A refusal is named by the engine from what claim_sale read (as sale.ts does).
            const named = ok ? null : checkSaleRules(buyer, { ...NO_SALES, money }, e.at, e.priceCents);
            live.push({
              leadId: l!.id,
              at: e.at,
              priceCents: e.priceCents,
              money,
              ok,
              ...(named && !named.ok ? { reason: named.reason } : {}),
            });
            if (ok) {
              const [tx] = rowsOf<{ id: string }>(
                await t.db.execute(
                  sql`select id from transactions where lead_id = ${l!.id}::uuid and buyer_id = ${buyerId}::uuid`,
                ),
              );
              sold.push({ leadId: l!.id, saleId: tx!.id, priceCents: e.priceCents, returned: false });
            }
            await t.db
              .update(leads)
              .set({ status: ok ? "SOLD" : "UNSOLD" })
              .where(sql`id = ${l!.id}::uuid`);
          }
        }

        // The replay: what it loads, then one pass over the leads of its window, charging its own wins.
        const to = new Date(midnight.getTime() + 2 * DAY);
        const recorded = await listReplayMoney(t.db, { buyerId, since: new Date(from.getTime() - 32 * DAY), from, to });
        const inWindow = live.filter((x) => x.at >= from);
        const sim = new SimulatedMoney(buyer, recorded, new Set(inWindow.map((x) => x.leadId)));
        const ctx = { case: c, from: from.toISOString(), events: events.map((e) => [e.kind, e.at.toISOString()]) };
        for (const x of inWindow) {
          const m = sim.at(x.at);
          expect(m !== undefined, JSON.stringify(ctx)).toBe(needsMoney(c.billing));
          if (m) {
            expect(m.balanceCents, JSON.stringify({ ...ctx, lead: x })).toBe(x.money.balanceCents);
            if (budgeted)
              expect([m.spentTodayCents, m.spentThisMonthCents], JSON.stringify({ ...ctx, lead: x })).toEqual([
                x.money.spentTodayCents,
                x.money.spentThisMonthCents,
              ]);
          }
          const v = checkSaleRules(buyer, { ...NO_SALES, ...(m ? { money: m } : {}) }, x.at, x.priceCents);
          expect(v.ok ? { ok: true } : { ok: false, reason: v.reason }, JSON.stringify({ ...ctx, lead: x })).toEqual(
            x.ok ? { ok: true } : { ok: false, reason: x.reason },
          );
          if (v.ok) sim.charge(x.leadId, x.at, x.priceCents);
        }
      }),
      { numRuns: sqlPropertyRuns() },
    );
  }, 600_000);
});
