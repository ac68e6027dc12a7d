// The seller portal on real PostgreSQL: the home's figures equal the rows they count (sold,
// unsold by reason, rejected, returned, payouts minus reversals) for today, 7 and 30 days (of UTC,
// the zone this seller chose; other zones and DST are portal-time-zone.test.ts's); the
// statement's months equal the ledger; filters and paging; another seller and other roles see
// nothing; a lead's page shows no buyer; and the CSV export quotes hostile text and neutralises
// formulas.
import { leads, returnRequests, sellerPayouts, transactions, writePayout, type LeadContact } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { ManualClock, UNSOLD_REASONS, type UnsoldReason } from "@leadflow/engine";
import { TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "../auth/sessions";
import { addBuyer, soldLead } from "../returns/testing";
import { callerAs, makeOrgUser, testServices } from "../testing";
import { csvCell, csvDollars, csvLine } from "./csv";
import { sellerLeadsCsv, statementMonthCsv } from "./portal";
import { reversePayout } from "./reverse-payout";

let t: TestDb;
const NOW = new Date("2026-03-16T15:00:00Z");
const clock = new ManualClock(NOW.toISOString());
let s: ReturnType<typeof testServices>;
let seller: SessionUser;
let otherSeller: SessionUser;
let buyerUser: SessionUser;
let buyerId: string;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const ids: Record<string, string> = {};
const utcDayStart = (at: Date) => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));

async function sold(name: string, at: Date, priceCents: number, payoutCents: number | null, org = seller.orgId) {
  const id = await soldLead(t.db, org, [{ buyerId, priceCents }], at);
  if (payoutCents !== null) await writePayout(t.db, { leadId: id, amountCents: payoutCents, at, data: {} });
  ids[name] = id;
  return id;
}

async function other(name: string, at: Date, status: "UNSOLD" | "REJECTED" | "PROCESSING", reason?: UnsoldReason) {
  const contact: LeadContact = { firstName: "Una", lastName: name, phone: "9015550100" };
  const [l] = await t.db
    .insert(leads)
    .values({
      sellerOrgId: seller.orgId,
      externalId: `ext-${name}`,
      vertical: name.startsWith("solar") ? "solar" : "roofing",
      zip: "38103",
      status,
      unsoldReason: reason ?? null,
      contact,
      receivedAt: at,
      finishedAt: status === "PROCESSING" ? null : at,
    })
    .returning();
  ids[name] = l!.id;
  return l!.id;
}

/** An approved return of the lead's sale, and the payout reversal it makes (as credit.ts does). */
async function returned(leadId: string, at: Date) {
  const [sale] = await t.db
    .select()
    .from(transactions)
    .where(and(eq(transactions.leadId, leadId), eq(transactions.isWinner, true)));
  const [r] = await t.db
    .insert(returnRequests)
    .values({
      saleId: sale!.id,
      leadId,
      buyerId,
      reason: "INVALID_PHONE",
      via: "dashboard",
      priceCents: sale!.priceCents ?? 0,
      status: "APPROVED",
      rule: "ADMIN",
      ruleDetail: "test",
      decidedAt: at,
      createdAt: at,
    })
    .returning();
  await reversePayout(t.db, leadId, r!.id, at);
}

beforeAll(async () => {
  t = await createTestDb();
  s = testServices(t.db, clock);
  seller = await makeOrgUser(t.db, "seller", "BrightPath Leads");
  otherSeller = await makeOrgUser(t.db, "seller", "Other Leads");
  // This seller counts in UTC (its own choice); the other keeps the default zone.
  await callerAs(s, seller).sources.setMyTimeZone({ timeZone: "UTC" });
  buyerUser = await makeOrgUser(t.db, "contractor", "Secret Roofing Buyer");
  buyerId = (await addBuyer(t.db, buyerUser.orgId, { name: "Secret Roofing Buyer" })).id;
  // Today (UTC): two sold (one returned), one unsold, one rejected, one still in the auction.
  await sold("today1", ago(1 * HOUR), 4000, 1500);
  await sold("today2", ago(2 * HOUR), 5000, 2000);
  await returned(ids.today2!, ago(30 * 60_000));
  await other("todayUnsold", ago(3 * HOUR), "UNSOLD", "NO_VALID_BIDS");
  await other("todayRejected", ago(4 * HOUR), "REJECTED");
  await other("todayRunning", ago(10 * 60_000), "PROCESSING");
  // Earlier this week (the 7 days): a sale with no payout rule (earns nothing), two unsold.
  await sold("week1", ago(3 * DAY), 3000, null);
  await other("weekUnsold1", ago(4 * DAY), "UNSOLD", "CASCADE_EXHAUSTED");
  await other("solarWeekUnsold", ago(5 * DAY), "UNSOLD", "NO_ELIGIBLE_BUYERS");
  // Within 30 days, in February: sold and returned later (the reversal booked in March).
  await sold("month1", ago(20 * DAY), 6000, 2500);
  await returned(ids.month1!, ago(1 * DAY));
  // Outside 30 days.
  await sold("old1", ago(40 * DAY), 7000, 3000);
  // Another seller's lead at the same time: counted nowhere here.
  await sold("others", ago(1 * HOUR), 9000, 4000, otherSeller.orgId);
});
afterAll(() => t?.drop());

/** The figures computed here from the raw rows, independently of the portal's SQL. */
async function expectedFor(from: Date) {
  const rows = (await t.db.select().from(leads).where(eq(leads.sellerOrgId, seller.orgId))).filter(
    (l) => l.receivedAt >= from && l.receivedAt < new Date(utcDayStart(NOW).getTime() + DAY),
  );
  const inPeriod = new Set(rows.map((l) => l.id));
  const ledger = (await t.db.select().from(sellerPayouts)).filter((e) => inPeriod.has(e.leadId));
  const approved = (await t.db.select().from(returnRequests)).filter(
    (r) => r.status === "APPROVED" && inPeriod.has(r.leadId),
  );
  const paid = ledger.filter((e) => e.kind === "PAYOUT").reduce((a, e) => a + e.amountCents, 0);
  const reversed = ledger.filter((e) => e.kind === "PAYOUT_REVERSAL").reduce((a, e) => a + e.amountCents, 0);
  return {
    sent: rows.length,
    accepted: rows.filter((l) => l.status !== "REJECTED").length,
    sold: rows.filter((l) => l.status === "SOLD").length,
    unsold: rows.filter((l) => l.status === "UNSOLD").length,
    unsoldByReason: Object.fromEntries(
      UNSOLD_REASONS.map((r) => [r, rows.filter((l) => l.status === "UNSOLD" && l.unsoldReason === r).length]),
    ),
    rejected: rows.filter((l) => l.status === "REJECTED").length,
    inProgress: rows.filter((l) => l.status === "RECEIVED" || l.status === "PROCESSING").length,
    returned: new Set(approved.map((r) => r.leadId)).size,
    paidCents: paid,
    reversedCents: reversed,
    earnedCents: paid + reversed,
  };
}

describe("the seller's home figures", () => {
  it("equal the rows for today, 7 and 30 UTC days, and count nothing of another seller", async () => {
    const api = callerAs(s, seller);
    const r = await api.sellerPortal.stats();
    expect(r.timeZone).toBe("UTC");
    expect(r.periods.map((p) => p.key)).toEqual(["today", "7d", "30d"]);
    const today = utcDayStart(NOW);
    const starts = [today, new Date(today.getTime() - 6 * DAY), new Date(today.getTime() - 29 * DAY)];
    for (const [i, p] of r.periods.entries()) {
      expect(p.from).toBe(starts[i]!.toISOString());
      expect(p).toMatchObject(await expectedFor(starts[i]!));
    }
    // And the figures this world was built to have, so the comparison above cannot pass vacuously.
    expect(r.periods[0]).toMatchObject({
      sent: 5,
      accepted: 4,
      sold: 2,
      unsold: 1,
      rejected: 1,
      inProgress: 1,
      returned: 1,
      paidCents: 3500,
      reversedCents: -2000,
      earnedCents: 1500,
    });
    expect(r.periods[1]).toMatchObject({ sent: 8, sold: 3, unsold: 3, earnedCents: 1500 });
    expect(r.periods[1]!.unsoldByReason).toEqual({ NO_ELIGIBLE_BUYERS: 1, NO_VALID_BIDS: 1, CASCADE_EXHAUSTED: 1 });
    expect(r.periods[2]).toMatchObject({ sent: 9, sold: 4, returned: 2, paidCents: 6000, reversedCents: -4500 });

    const empty = await callerAs(s, otherSeller).sellerPortal.stats();
    expect(empty.periods[0]).toMatchObject({ sent: 1, sold: 1, earnedCents: 4000, returned: 0 });
  });

  it("the statement's months equal the ledger: sales by when they finished, money by when it was booked", async () => {
    const { months, timeZone } = await callerAs(s, seller).sellerPortal.statement();
    expect(timeZone).toBe("UTC");
    const ledger = await t.db.select().from(sellerPayouts).where(eq(sellerPayouts.sellerOrgId, seller.orgId));
    const monthOf = (d: Date) => d.toISOString().slice(0, 7);
    for (const m of months) {
      const inMonth = ledger.filter((e) => monthOf(e.createdAt) === m.month);
      const earned = inMonth.filter((e) => e.kind === "PAYOUT").reduce((a, e) => a + e.amountCents, 0);
      const reversed = inMonth.filter((e) => e.kind === "PAYOUT_REVERSAL").reduce((a, e) => a + e.amountCents, 0);
      expect(m).toMatchObject({ earnedCents: earned, reversedCents: reversed, netCents: earned + reversed });
    }
    expect(months.map((m) => [m.month, m.sold, m.earnedCents, m.reversedCents, m.netCents])).toEqual([
      ["2026-03", 3, 3500, -4500, -1000],
      ["2026-02", 2, 5500, 0, 5500],
    ]);
    // The month's CSV sums to the month's net.
    const csv = await statementMonthCsv(s, seller.orgId, "2026-03");
    expect(csv.split("\r\n").at(-2)).toBe("total,,,,,-10.00");
    expect(csv).not.toContain(ids.others!);
  });
});

describe("the seller's leads", () => {
  it("filters by status, vertical, days, externalId and search, and pages without losing or repeating a lead", async () => {
    const api = callerAs(s, seller);
    const all = await api.sellerPortal.leads({ limit: 100 });
    expect(all.items).toHaveLength(10);
    expect(all.items.map((l) => l.id)).not.toContain(ids.others);
    const unsold = await api.sellerPortal.leads({ filter: { status: "UNSOLD" } });
    expect(unsold.items.map((l) => l.id).sort()).toEqual(
      [ids.todayUnsold, ids.weekUnsold1, ids.solarWeekUnsold].sort(),
    );
    expect((await api.sellerPortal.leads({ filter: { vertical: "solar" } })).items.map((l) => l.id)).toEqual([
      ids.solarWeekUnsold,
    ]);
    const day = ago(3 * DAY)
      .toISOString()
      .slice(0, 10);
    expect((await api.sellerPortal.leads({ filter: { from: day, to: day } })).items.map((l) => l.id)).toEqual([
      ids.week1,
    ]);
    expect((await api.sellerPortal.leads({ filter: { externalId: "ext-todayRejected" } })).items).toHaveLength(1);
    expect((await api.sellerPortal.leads({ filter: { q: "weekUnsold1" } })).items.map((l) => l.id)).toEqual([
      ids.weekUnsold1,
    ]);
    const returnedLead = (await api.sellerPortal.leads({ filter: { q: ids.today2 } })).items[0]!;
    expect(returnedLead).toMatchObject({ paidCents: 2000, reversedCents: -2000, earnedCents: 0, returned: true });
    await expect(api.sellerPortal.leads({ filter: { from: "2026-03-10", to: "2026-03-01" } })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof api.sellerPortal.leads>> = await api.sellerPortal.leads({
        limit: 3,
        cursor,
      });
      seen.push(...page.items.map((l) => l.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.items.map((l) => l.id));
  });

  it("a lead's page: the seller's story and money, never the buyer, its price or its bids", async () => {
    const lead = await callerAs(s, seller).sellerPortal.lead({ id: ids.today2! });
    expect(lead).toMatchObject({ status: "SOLD", paidCents: 2000, reversedCents: -2000, earnedCents: 0 });
    expect(lead.timeline.map((e) => e.kind)).toEqual([
      "payout",
      "return_requested",
      "return_decided",
      "payout_reversed",
    ]);
    const text = JSON.stringify(lead);
    expect(text).not.toContain(buyerId);
    expect(text).not.toContain("Secret Roofing");
    expect(text).not.toContain(buyerUser.orgId);
    expect(text).not.toMatch(/price|revenue|bid/i); // what the buyer paid, or anyone bid
  });

  it("another seller, and every other role, sees nothing of it", async () => {
    const other = callerAs(s, otherSeller);
    await expect(other.sellerPortal.lead({ id: ids.today1! })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await other.sellerPortal.leads({ filter: { q: ids.today1 } })).items).toEqual([]);
    expect((await other.sellerPortal.leads({ filter: { externalId: "ext-todayRejected" } })).items).toEqual([]);
    const otherCsv = await collect(sellerLeadsCsv(s, otherSeller.orgId, {}));
    expect(otherCsv).not.toContain(ids.today1!);
    expect(otherCsv.split("\r\n").filter(Boolean)).toHaveLength(2); // header and its own lead
    expect(await statementMonthCsv(s, otherSeller.orgId, "2026-02")).toBe(
      "booked_at,entry,lead_id,external_id,vertical,amount_usd\r\ntotal,,,,,0.00\r\n",
    );
    for (const role of ["contractor", "network", "dj", "admin"] as const) {
      const u = role === "contractor" ? buyerUser : await makeOrgUser(t.db, role);
      const err = await callerAs(s, u)
        .sellerPortal.lead({ id: ids.today1! })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TRPCError);
      expect((err as TRPCError).code).toBe("FORBIDDEN");
    }
    await expect(callerAs(s, null).sellerPortal.stats()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});

async function collect(gen: AsyncIterable<string>) {
  let out = "";
  for await (const chunk of gen) out += chunk;
  return out;
}

/** RFC 4180, enough to read back what csvLine wrote. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += c;
  }
  return rows;
}

describe("CSV", () => {
  it("quotes commas, quotes and line breaks, and neutralises a leading = + - @ tab or CR", () => {
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("two\nlines")).toBe('"two\nlines"');
    expect(csvCell("cr\rlf")).toBe('"cr\rlf"');
    expect(csvCell("=1+1")).toBe("'=1+1");
    expect(csvCell("+15551234")).toBe("'+15551234");
    expect(csvCell("-2")).toBe("'-2");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("  =cmd")).toBe("'  =cmd");
    expect(csvCell("\t=x")).toBe("'\t=x");
    expect(csvCell(" padded ")).toBe('" padded "');
    expect(csvCell('=HYPERLINK("http://evil.test","x")')).toBe(`"'=HYPERLINK(""http://evil.test"",""x"")"`);
    expect(csvCell(null)).toBe("");
    expect(csvCell(true)).toBe("yes");
    expect(csvDollars(-2000).text).toBe("-20.00");
    expect(csvDollars(5).text).toBe("0.05");
    expect(csvLine([csvDollars(-150), "-150"])).toBe("-1.50,'-150\r\n");
  });

  it("the export writes what the seller sent back intact, formulas disarmed, one record per lead", async () => {
    const hostile = {
      externalId: 'ext,"quoted"\nline',
      firstName: '=HYPERLINK("http://evil.test","click")',
      lastName: "+cmd|' /C calc'!A0",
      email: "@evil.test",
    };
    const [l] = await t.db
      .insert(leads)
      .values({
        sellerOrgId: seller.orgId,
        externalId: hostile.externalId,
        vertical: "roofing",
        zip: "38103",
        status: "UNSOLD",
        unsoldReason: "NO_VALID_BIDS",
        contact: {
          firstName: hostile.firstName,
          lastName: hostile.lastName,
          email: hostile.email,
          phone: "-9015550100",
        },
        receivedAt: ago(HOUR / 2),
      })
      .returning();
    const csv = await collect(sellerLeadsCsv(s, seller.orgId, { status: "UNSOLD", q: "HYPERLINK" }));
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual([
      "lead_id",
      "external_id",
      "received_at",
      "status",
      "unsold_reason",
      "vertical",
      "zip",
      "state",
      "first_name",
      "last_name",
      "email",
      "phone",
      "payout_usd",
      "reversed_usd",
      "earned_usd",
      "returned",
    ]);
    expect(rows).toHaveLength(2);
    expect(rows[1]!.slice(0, 2)).toEqual([l!.id, hostile.externalId]);
    expect(rows[1]!.slice(8, 12)).toEqual([
      `'${hostile.firstName}`,
      `'${hostile.lastName}`,
      `'${hostile.email}`,
      "'-9015550100",
    ]);
    expect(rows[1]!.slice(12)).toEqual(["0.00", "0.00", "0.00", "no"]);
    // No cell of the file starts a formula.
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+@]|^-[^0-9]/);
  });
});
