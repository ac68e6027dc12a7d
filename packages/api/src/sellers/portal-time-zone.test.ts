// The seller portal counts in the seller's own time zone, on real PostgreSQL: a sale at 23:30 in
// Los Angeles on the last day of a month is that day's ("today") and that month's (statement, its
// CSV), where UTC would put it in the next; the leads filter's days are the same local days; a
// week and a month that contain a DST switch start and end at local midnight (167 hours, a month
// an hour short or long), and the hour that repeats in November prints twice with its own offset.
// A zone that is not an IANA name is refused with a clear error and nothing is written.
import { auditLog, isPostgresTimeZone, sellerSources, writePayout } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { ManualClock } from "@leadflow/engine";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "../auth/sessions";
import { addBuyer, soldLead } from "../returns/testing";
import { callerAs, makeOrgUser, testServices } from "../testing";
import { sellerLeadsCsv, statementMonthCsv } from "./portal";

let t: TestDb;
const clock = new ManualClock("2026-04-01T06:45:00Z");
let s: ReturnType<typeof testServices>;
let admin: SessionUser;
let buyerId: string;
const LA = "America/Los_Angeles";

/** A sold lead of `seller` received (and sold, and paid) at `at`. */
async function sale(seller: SessionUser, at: string, payoutCents: number) {
  const when = new Date(at);
  const id = await soldLead(t.db, seller.orgId, [{ buyerId, priceCents: payoutCents * 2 }], when);
  await writePayout(t.db, { leadId: id, amountCents: payoutCents, at: when, data: {} });
  return id;
}

async function collect(gen: AsyncIterable<string>) {
  let out = "";
  for await (const chunk of gen) out += chunk;
  return out;
}

/** The CSV's data lines (no header, no total), first cells only. */
const entryLines = (csv: string) =>
  csv
    .split("\r\n")
    .filter(Boolean)
    .slice(1)
    .filter((l) => !l.startsWith("total"));

beforeAll(async () => {
  t = await createTestDb();
  s = testServices(t.db, clock);
  admin = await makeOrgUser(t.db, "admin");
  const buyer = await makeOrgUser(t.db, "contractor", "Zone Buyer");
  buyerId = (await addBuyer(t.db, buyer.orgId, { name: "Zone Buyer" })).id;
});
afterAll(() => t?.drop());

describe("a sale at 23:30 on March 31 in Los Angeles", () => {
  let seller: SessionUser;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    seller = await makeOrgUser(t.db, "seller", "Pacific Leads");
    // The admin sets the zone on the Sources page.
    await callerAs(s, admin).sources.setSettings({
      sellerOrgId: seller.orgId,
      pingTtlSeconds: 60,
      returnWindowDays: 30,
      timeZone: LA,
    });
    ids.late = await sale(seller, "2026-04-01T06:30:00Z", 1200); // Mar 31 23:30 PDT
    ids.early = await sale(seller, "2026-03-31T07:30:00Z", 800); // Mar 31 00:30 PDT
    ids.dayBefore = await sale(seller, "2026-03-31T06:30:00Z", 500); // Mar 30 23:30 PDT
    ids.april = await sale(seller, "2026-04-01T07:30:00Z", 700); // Apr 1 00:30 PDT
  });

  it("counts in today at 23:45 local, as the seller's day, not UTC's", async () => {
    clock.set("2026-04-01T06:45:00Z"); // 23:45 PDT on March 31
    const r = await callerAs(s, seller).sellerPortal.stats();
    expect(r.timeZone).toBe(LA);
    const [today, week] = r.periods;
    expect(today).toMatchObject({
      key: "today",
      fromDay: "2026-03-31",
      toDay: "2026-03-31",
      from: "2026-03-31T07:00:00.000Z",
      toExclusive: "2026-04-01T07:00:00.000Z",
      sent: 2, // the 23:30 and the 00:30 sales; UTC's today would hold the 23:30 one and April's
      sold: 2,
      earnedCents: 2000,
    });
    expect(week).toMatchObject({ fromDay: "2026-03-25", toDay: "2026-03-31", sent: 3, earnedCents: 2500 });
  });

  it("the leads filter's days are the same local days, and the page and CSV print local times", async () => {
    const api = callerAs(s, seller);
    const page = await api.sellerPortal.leads({ filter: { from: "2026-03-31", to: "2026-03-31" } });
    expect(page.timeZone).toBe(LA);
    expect(page.items.map((l) => l.id).sort()).toEqual([ids.late, ids.early].sort());
    const late = page.items.find((l) => l.id === ids.late)!;
    expect(late.receivedAt).toBe("2026-04-01T06:30:00.000000Z");
    expect(late.receivedAtLocal).toBe("2026-03-31T23:30:00-07:00");
    // The home's "today" and the filter for that day are the same rows.
    const stats = await api.sellerPortal.stats();
    expect(page.items).toHaveLength(stats.periods[0]!.sent);

    const csv = await collect(sellerLeadsCsv(s, seller.orgId, { from: "2026-03-31", to: "2026-03-31" }));
    const lines = csv.split("\r\n").filter(Boolean);
    expect(lines[0]!.split(",").slice(0, 3)).toEqual(["lead_id", "external_id", "received_at"]);
    expect(lines.slice(1).map((l) => l.split(",")[2])).toEqual([
      "2026-03-31T23:30:00-07:00",
      "2026-03-31T00:30:00-07:00",
    ]);
  });

  it("lands in March's statement and March's CSV, not April's", async () => {
    const { timeZone, months } = await callerAs(s, seller).sellerPortal.statement();
    expect(timeZone).toBe(LA);
    expect(months.map((m) => [m.month, m.sold, m.earnedCents, m.netCents])).toEqual([
      ["2026-04", 1, 700, 700],
      ["2026-03", 3, 2500, 2500],
    ]);
    const march = await statementMonthCsv(s, seller.orgId, "2026-03");
    expect(march.split("\r\n")[0]).toBe("booked_at,entry,lead_id,external_id,vertical,amount_usd");
    expect(entryLines(march).map((l) => l.split(",").slice(0, 3))).toEqual([
      ["2026-03-30T23:30:00-07:00", "payout", ids.dayBefore],
      ["2026-03-31T00:30:00-07:00", "payout", ids.early],
      ["2026-03-31T23:30:00-07:00", "payout", ids.late],
    ]);
    expect(march.split("\r\n").at(-2)).toBe("total,,,,,25.00");
    const april = await statementMonthCsv(s, seller.orgId, "2026-04");
    expect(entryLines(april).map((l) => l.split(",")[2])).toEqual([ids.april]);
  });
});

describe("months and weeks that contain a DST switch", () => {
  let seller: SessionUser;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    seller = await makeOrgUser(t.db, "seller", "Switching Leads");
    await callerAs(s, seller).sources.setMyTimeZone({ timeZone: LA });
    // March 2026: PST (-8) until March 8, PDT (-7) after; a month 743 hours long.
    ids.feb = await sale(seller, "2026-03-01T07:30:00Z", 100); // Feb 28 23:30 PST
    ids.marFirst = await sale(seller, "2026-03-01T08:30:00Z", 200); // Mar 1 00:30 PST
    ids.marLast = await sale(seller, "2026-04-01T06:30:00Z", 300); // Mar 31 23:30 PDT
    ids.aprFirst = await sale(seller, "2026-04-01T07:30:00Z", 400); // Apr 1 00:30 PDT (08:00Z would be a fixed -8)
    // November 2026: PDT until 02:00 on November 1, when 01:00-02:00 repeats in PST; 721 hours.
    ids.oct = await sale(seller, "2026-11-01T06:30:00Z", 1000); // Oct 31 23:30 PDT
    ids.novPdt = await sale(seller, "2026-11-01T08:30:00Z", 2000); // Nov 1 01:30 PDT
    ids.novPst = await sale(seller, "2026-11-01T09:30:00Z", 3000); // Nov 1 01:30 PST, the repeated hour
    ids.novLast = await sale(seller, "2026-12-01T07:30:00Z", 4000); // Nov 30 23:30 PST (07:00Z would be a fixed -7)
  });

  it("puts each sale in its local month, at either end of a month with a switch", async () => {
    const { months } = await callerAs(s, seller).sellerPortal.statement();
    expect(months.map((m) => [m.month, m.sold, m.earnedCents])).toEqual([
      ["2026-11", 3, 9000],
      ["2026-10", 1, 1000],
      ["2026-04", 1, 400],
      ["2026-03", 2, 500],
      ["2026-02", 1, 100],
    ]);
    const march = entryLines(await statementMonthCsv(s, seller.orgId, "2026-03"));
    expect(march.map((l) => l.split(",").slice(0, 3))).toEqual([
      ["2026-03-01T00:30:00-08:00", "payout", ids.marFirst],
      ["2026-03-31T23:30:00-07:00", "payout", ids.marLast],
    ]);
    // The repeated hour prints twice, told apart by its offset.
    const november = entryLines(await statementMonthCsv(s, seller.orgId, "2026-11"));
    expect(november.map((l) => l.split(",").slice(0, 3))).toEqual([
      ["2026-11-01T01:30:00-07:00", "payout", ids.novPdt],
      ["2026-11-01T01:30:00-08:00", "payout", ids.novPst],
      ["2026-11-30T23:30:00-08:00", "payout", ids.novLast],
    ]);
  });

  it("a 7-day window across the spring switch starts at local midnight (167 hours)", async () => {
    clock.set("2026-03-09T19:00:00Z"); // noon PDT, the day after the switch
    const week = (await callerAs(s, seller).sellerPortal.stats()).periods[1]!;
    expect(week).toMatchObject({ fromDay: "2026-03-03", toDay: "2026-03-09" });
    expect(week.from).toBe("2026-03-03T08:00:00.000Z"); // midnight PST
    expect(week.toExclusive).toBe("2026-03-10T07:00:00.000Z"); // midnight PDT
    expect(new Date(week.toExclusive).getTime() - new Date(week.from).getTime()).toBe(167 * 3_600_000);
    // The window matches the leads filter over the same days, row for row.
    const rows = await callerAs(s, seller).sellerPortal.leads({ filter: { from: "2026-03-03", to: "2026-03-09" } });
    expect(rows.items).toHaveLength(week.sent);
  });

  it("counts sales inside a spring week exactly at its local-midnight edges", async () => {
    const edge = await makeOrgUser(t.db, "seller", "Edge Leads");
    await callerAs(s, edge).sources.setMyTimeZone({ timeZone: LA });
    await sale(edge, "2026-03-03T07:30:00Z", 10); // Mar 2 23:30 PST: before the week
    await sale(edge, "2026-03-03T08:30:00Z", 20); // Mar 3 00:30 PST: in it
    await sale(edge, "2026-03-10T06:30:00Z", 40); // Mar 9 23:30 PDT: in it, and today
    await sale(edge, "2026-03-10T07:30:00Z", 80); // Mar 10 00:30 PDT: tomorrow
    clock.set("2026-03-10T06:45:00Z"); // 23:45 PDT on March 9
    const [today, week] = (await callerAs(s, edge).sellerPortal.stats()).periods;
    expect(today).toMatchObject({ fromDay: "2026-03-09", sent: 1, earnedCents: 40 });
    expect(week).toMatchObject({ fromDay: "2026-03-03", sent: 2, earnedCents: 60 });
  });
});

describe("the seller's time zone setting", () => {
  it("defaults to the platform's zone, America/Chicago", async () => {
    const fresh = await makeOrgUser(t.db, "seller", "Fresh Leads");
    expect((await callerAs(s, fresh).sellerPortal.stats()).timeZone).toBe("America/Chicago");
    expect((await callerAs(s, fresh).sources.mine())?.timeZone).toBe("America/Chicago");
  });

  it("refuses a name that is not an IANA zone, with a clear error, and writes nothing", async () => {
    const seller = await makeOrgUser(t.db, "seller", "Typo Leads");
    const me = callerAs(s, seller).sources;
    for (const bad of ["Mars/Olympus", "PST", "EST", "", "America/Chicago; drop table leads", "+05:00"]) {
      await expect(me.setMyTimeZone({ timeZone: bad }), bad).rejects.toMatchObject({ code: "BAD_REQUEST" });
    }
    const refused = await me.setMyTimeZone({ timeZone: "Mars/Olympus" }).catch((e: unknown) => e);
    expect((refused as { cause?: { issues?: unknown } }).cause).toMatchObject({
      issues: [
        {
          path: ["timeZone"],
          message:
            'Not a time zone LeadFlow knows: use an IANA name like "America/Chicago" or "Europe/London", or UTC.',
        },
      ],
    });
    await expect(
      callerAs(s, admin).sources.setSettings({
        sellerOrgId: seller.orgId,
        pingTtlSeconds: 5,
        returnWindowDays: 1,
        timeZone: "Europe/Atlantis",
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    // Neither the zone nor the other terms of the refused save were written.
    expect(await t.db.select().from(sellerSources).where(eq(sellerSources.sellerOrgId, seller.orgId))).toEqual([]);
    expect((await me.mine())?.timeZone).toBe("America/Chicago");
    // PostgreSQL's own list is checked too (the SQL counts in it).
    expect(await isPostgresTimeZone(t.db, "Mars/Olympus")).toBe(false);
    expect(await isPostgresTimeZone(t.db, LA)).toBe(true);
  });

  it("takes a name in any case, stores its proper spelling, keeps the admin's terms, and is audited", async () => {
    const seller = await makeOrgUser(t.db, "seller", "Case Leads");
    await callerAs(s, admin).sources.setSettings({
      sellerOrgId: seller.orgId,
      pingTtlSeconds: 15,
      returnWindowDays: 7,
    });
    expect(await callerAs(s, seller).sources.setMyTimeZone({ timeZone: " europe/london " })).toEqual({
      timeZone: "Europe/London",
    });
    expect(await callerAs(s, seller).sources.mine()).toMatchObject({
      timeZone: "Europe/London",
      pingTtlSeconds: 15,
      returnWindowDays: 7,
    });
    // The admin's save without a zone keeps the seller's.
    await callerAs(s, admin).sources.setSettings({
      sellerOrgId: seller.orgId,
      pingTtlSeconds: 20,
      returnWindowDays: 7,
    });
    expect((await callerAs(s, seller).sources.mine())?.timeZone).toBe("Europe/London");
    const [entry] = await t.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, seller.orgId), eq(auditLog.action, "sources.setMyTimeZone")));
    expect(entry).toMatchObject({ actorUserId: seller.id, orgId: seller.orgId, changed: ["timeZone"] });
    expect(entry!.after?.timeZone).toBe("Europe/London");
  });
});
