// Billing through the service and the router, on real PostgreSQL with networks on loopback: a
// prepaid network that cannot pay is passed over at the sale with INSUFFICIENT_FUNDS and the
// cascade sells to the next bidder (and why-not says so); a low balance is emailed once per
// crossing; settings and top-ups are validated and idempotent; a month's statement adds up, and
// its CSV and PDF (read back with pdfjs-dist) say the same.
import { buyerZips, buyers, emailOutbox, orgs, transactions, verticals } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { ManualClock } from "@leadflow/engine";
import { and, eq } from "drizzle-orm";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeBuyerAgent, createLead, parseIntake, runAuction } from "../auction";
import type { SessionUser } from "../auth/sessions";
import type { Services } from "../context";
import { callerAs, makeOrgUser, silentLog, TEST_OUTBOUND } from "../testing";
import { notifyLowBalances, statementCsv, statementPdf } from ".";

let server: Server;
let t: TestDb;
let s: Services;
const clock = new ManualClock("2026-11-10T15:00:00Z");
let alpha: SessionUser;
let beta: SessionUser;
let admin: SessionUser;
let seller: string;
const ids: Record<string, string> = {};

async function addNetwork(orgId: string, name: string, base: string) {
  const [b] = await t.db
    .insert(buyers)
    .values({
      orgId,
      name,
      type: "NETWORK",
      verticals: ["roofing"],
      timeZone: "America/Chicago",
      duplicateLookbackDays: 0,
      pingTimeoutMs: 10_000,
      pingUrl: `${base}/ping/${encodeURIComponent(name)}`,
      postUrl: `${base}/post/${encodeURIComponent(name)}`,
      notificationEmail: `${name.toLowerCase().replace(/\W+/g, ".")}@example.test`,
    })
    .returning();
  await t.db.insert(buyerZips).values({ buyerId: b!.id, zip: "*", priority: 1 });
  return b!.id;
}

let leadNo = 0;
async function sellOne() {
  const { id } = await createLead(
    s,
    seller,
    parseIntake({
      vertical: "roofing",
      zip: "75201",
      contact: { firstName: "A", lastName: "B", phone: `51255501${String(++leadNo).padStart(2, "0")}` },
    }),
  );
  await runAuction(s, id);
  const rows = await t.db.select().from(transactions).where(eq(transactions.leadId, id));
  return { id, rows };
}

const lowEmails = () =>
  t.db
    .select()
    .from(emailOutbox)
    .where(and(eq(emailOutbox.kind, "low_balance"), eq(emailOutbox.to, "alpha.prepaid@example.test")));

beforeAll(async () => {
  server = createServer((req, res) => {
    const [, kind, raw = ""] = (req.url ?? "").split("/");
    const name = decodeURIComponent(raw);
    req.resume();
    req.on("end", () => {
      res.setHeader("content-type", "application/json");
      const bids: Record<string, number> = { "Alpha Prepaid": 4200, "Beta Invoiced": 3100 };
      res.end(JSON.stringify(kind === "ping" ? { bid: (bids[name] ?? 0) / 100 } : { accepted: true }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  t = await createTestDb();
  s = { db: t.db, handle: t, clock, log: silentLog, publicUrl: "http://127.0.0.1:0", outbound: TEST_OUTBOUND };
  await t.db.insert(verticals).values({ key: "roofing", name: "Roofing", floorCents: 0 });
  const [o] = await t.db.insert(orgs).values({ name: "Seller", kind: "seller" }).returning();
  seller = o!.id;
  alpha = await makeOrgUser(t.db, "network", "Alpha Org");
  beta = await makeOrgUser(t.db, "network", "Beta Org");
  admin = await makeOrgUser(t.db, "admin");
  ids.alpha = await addNetwork(alpha.orgId, "Alpha Prepaid", base);
  ids.beta = await addNetwork(beta.orgId, "Beta Invoiced", base);
}, 60_000);

afterAll(async () => {
  await closeBuyerAgent();
  await new Promise((r) => server.close(r));
  await t?.drop();
});

describe("billing", () => {
  it("validates settings and refuses a buyer's own change of them", async () => {
    const a = callerAs(s, admin).billing;
    await expect(
      a.setSettings({
        buyerId: ids.alpha!,
        billingMode: "CREDIT_LIMIT",
        creditLimitCents: null,
        lowBalanceThresholdCents: null,
        budgetDailyCents: null,
        budgetMonthlyCents: null,
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/credit limit/) });
    await expect(
      a.setSettings({
        buyerId: ids.alpha!,
        billingMode: "PREPAID",
        creditLimitCents: null,
        lowBalanceThresholdCents: -5,
        budgetDailyCents: null,
        budgetMonthlyCents: null,
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const set = await a.setSettings({
      buyerId: ids.alpha!,
      billingMode: "PREPAID",
      creditLimitCents: 999, // dropped: only a credit-limit buyer has one
      lowBalanceThresholdCents: 5000,
      budgetDailyCents: null,
      budgetMonthlyCents: null,
    });
    expect(set).toMatchObject({ billingMode: "PREPAID", creditLimitCents: null, balanceCents: 0 });
    await expect(callerAs(s, alpha).billing.get({ buyerId: ids.beta! })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("passes over a prepaid network that cannot pay, sells to the next bidder, and says why", async () => {
    // Nothing at all to spend: not even pinged (its verdict at the start says why).
    const empty = await sellOne();
    expect(empty.rows.map((r) => r.buyerId)).toEqual([ids.beta]);
    // $10 is something, so it is pinged and its $42 bid wins the ranking; the sale refuses it
    // and the cascade moves on to the next bidder.
    await callerAs(s, admin).billing.topUp({
      buyerId: ids.alpha!,
      amountCents: 1000,
      note: "first",
      idempotencyKey: "topup-form-0000",
    });
    const { rows } = await sellOne();
    const by = new Map(rows.map((r) => [r.buyerId, r]));
    expect(by.get(ids.beta!)).toMatchObject({ isWinner: true, priceCents: expect.any(Number) });
    expect(by.get(ids.alpha!)).toMatchObject({ isWinner: false, lostReason: "INSUFFICIENT_FUNDS" });
    const why = await callerAs(s, alpha).insight.whyNot({ days: 7 });
    const reasons = JSON.stringify(why).match(/INSUFFICIENT_FUNDS/g) ?? [];
    expect(reasons.length).toBeGreaterThanOrEqual(2); // the verdict at the start, the refusal at the sale
    expect((await callerAs(s, alpha).billing.get({ buyerId: ids.alpha! })).balanceCents).toBe(1000);
  }, 60_000);

  it("tops up once per form, then sells to the prepaid network until it runs out", async () => {
    const a = callerAs(s, admin).billing;
    const form = { buyerId: ids.alpha!, amountCents: 10_000, note: "wire 1", idempotencyKey: "topup-form-0001" };
    const [one, two] = await Promise.all([a.topUp(form), a.topUp(form)]);
    expect([one.created, two.created].sort()).toEqual([false, true]);
    expect((await a.get({ buyerId: ids.alpha! })).balanceCents).toBe(11_000);
    await expect(a.topUp({ ...form, amountCents: 20_000 })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(a.topUp({ ...form, idempotencyKey: "topup-form-0002", amountCents: 0 })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });

    // $110 covers two $42 leads (balance $26, under the $50 threshold after the second), not a third.
    const first = await sellOne();
    expect(first.rows.find((r) => r.buyerId === ids.alpha)).toMatchObject({ isWinner: true });
    expect(await lowEmails()).toHaveLength(0);
    const second = await sellOne();
    expect(second.rows.find((r) => r.buyerId === ids.alpha)).toMatchObject({ isWinner: true });
    const third = await sellOne();
    expect(third.rows.find((r) => r.buyerId === ids.alpha)).toMatchObject({ lostReason: "INSUFFICIENT_FUNDS" });
    expect(third.rows.find((r) => r.buyerId === ids.beta)).toMatchObject({ isWinner: true });

    // One email for the one crossing (the email is sent after the sale, without waiting for it).
    await expect.poll(async () => (await lowEmails()).length, { timeout: 20_000 }).toBe(1);
    expect(await notifyLowBalances(s)).toBe(0);
    expect((await lowEmails())[0]).toMatchObject({
      subject: expect.stringMatching(/Low balance: Alpha Prepaid has \$26\.00/),
    });
    const mine = await callerAs(s, alpha).billing.mine();
    expect(mine).toEqual([expect.objectContaining({ buyerId: ids.alpha, balanceCents: 2600, low: true })]);

    // A top-up back over the threshold, then a fall under it again: a second crossing, a second email.
    await a.topUp({ buyerId: ids.alpha!, amountCents: 8_000, note: null, idempotencyKey: "topup-form-0003" });
    await sellOne();
    await sellOne();
    await expect.poll(async () => (await lowEmails()).length, { timeout: 20_000 }).toBe(2);
  }, 120_000);

  it("adds up a month's statement, as CSV and as a PDF", async () => {
    const st = await callerAs(s, alpha).billing.statement({ buyerId: ids.alpha!, month: "2026-11" });
    expect(st.openingCents).toBe(0);
    const kinds = st.lines.map((l) => l.kind);
    expect(kinds.filter((k) => k === "TOP_UP")).toHaveLength(3);
    expect(kinds.filter((k) => k === "CHARGE")).toHaveLength(4);
    expect(st.closingCents).toBe(19_000 - 4 * 4200);
    expect(st.lines.at(-1)!.balanceCents).toBe(st.closingCents);
    const ledgerSum = st.lines.reduce((sum, l) => sum + l.amountCents, 0);
    expect(ledgerSum).toBe(st.closingCents - st.openingCents);
    expect((await callerAs(s, admin).billing.get({ buyerId: ids.alpha! })).balanceCents).toBe(st.closingCents);
    // The month before: nothing, and its closing is November's opening.
    const oct = await callerAs(s, admin).billing.statement({ buyerId: ids.alpha!, month: "2026-10" });
    expect(oct).toMatchObject({ openingCents: 0, closingCents: 0, lines: [] });

    const csv = statementCsv(st).trim().split("\r\n");
    expect(csv[0]).toBe("date,kind,description,amount_usd,balance_usd");
    expect(csv[1]).toMatch(/,OPENING,Opening balance,,0\.00$/);
    expect(csv.at(-1)).toMatch(/,CLOSING,Closing balance,,22\.00$/);
    expect(csv.filter((l) => l.includes(",CHARGE,"))).toHaveLength(4);
    expect(csv.some((l) => l.includes(",TOP_UP,Top-up (wire 1),100.00,110.00"))).toBe(true);

    const pdf = await statementPdf(st);
    expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
    const { getDocument } = await import("pdfjs-dist/legacy/build/pdf.mjs");
    const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false }).promise;
    let text = "";
    for (let p = 1; p <= doc.numPages; p++) {
      const page = await doc.getPage(p);
      const c = await page.getTextContent();
      text += c.items.map((i) => ("str" in i ? i.str : "")).join("\n") + "\n";
    }
    expect(text).toContain("Alpha Prepaid, 2026-11");
    expect(text).toContain("Opening balance: $0.00");
    expect(text).toContain("Closing balance: $22.00");
    expect(text).toContain("Top-ups: $190.00");
    expect(text.match(/Lead bought/g)).toHaveLength(4);
  });

  it("gives the admin every buyer's balance in the receivables summary", async () => {
    const ar = await callerAs(s, admin).billing.receivables();
    const beta = ar.find((r) => r.buyerId === ids.beta);
    expect(beta).toMatchObject({ billingMode: "INVOICED", overLimit: false });
    expect(beta!.owedCents).toBeGreaterThan(0);
    expect(beta!.owedCents).toBe(-beta!.balanceCents);
    expect(ar.find((r) => r.buyerId === ids.alpha)).toMatchObject({ balanceCents: 2200, low: true, owedCents: 0 });
  });
});
