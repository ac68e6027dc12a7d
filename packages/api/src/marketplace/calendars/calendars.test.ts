// DJs' calendars on real PostgreSQL with a real ICS server on loopback: the private feed lists
// booked and held dates and stops working when rotated; an external calendar's busy days (all-day,
// timed, recurring; free and cancelled events ignored) block leads of those dates; the outbound
// guard refuses an internal URL without the tests' loopback allowance; a failed fetch keeps the
// last busy days and says why.
import { djAvailability } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { ManualClock } from "@leadflow/engine";
import nodeIcal from "node-ical";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outboundPolicy } from "../../outbound/guard";
import { callerAs, makeOrgUser, testResolve, testServices } from "../../testing";
import { getEligibleDJs } from "../eligibility";
import { makeDj } from "../testing";
import { busyDaysOf, refreshAllExternalCalendars, renderCalendarFeed } from "./calendars";

let t: TestDb;
let server: Server;
let base = "";
const feed = { status: 200, body: "" };

const ICS = (events: string[]) =>
  ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", ...events, "END:VCALENDAR", ""].join("\r\n");
const ev = (lines: string[]) =>
  ["BEGIN:VEVENT", `UID:${Math.random()}@test`, "DTSTAMP:20260301T000000Z", ...lines, "END:VEVENT"].join("\r\n");

beforeAll(async () => {
  t = await createTestDb({ max: 4 });
  server = createServer((_req, res) => {
    res.writeHead(feed.status, { "content-type": "text/calendar" });
    res.end(feed.body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => server?.close(() => r()));
  await t?.drop();
});

const clock = () => new ManualClock("2026-03-02T15:00:00Z");

describe("busy days of an ICS file", () => {
  it("counts all-day, multi-day, timed and recurring events; skips free and cancelled ones", () => {
    const text = ICS([
      ev(["DTSTART;VALUE=DATE:20260620", "DTEND;VALUE=DATE:20260621", "SUMMARY:Gig"]),
      ev(["DTSTART;VALUE=DATE:20260710", "DTEND;VALUE=DATE:20260712", "SUMMARY:Festival"]),
      ev(["DTSTART:20260627T180000Z", "DTEND:20260627T230000Z", "SUMMARY:Party"]),
      ev(["DTSTART;VALUE=DATE:20260704", "DTEND;VALUE=DATE:20260705", "TRANSP:TRANSPARENT", "SUMMARY:Free"]),
      ev(["DTSTART;VALUE=DATE:20260801", "DTEND;VALUE=DATE:20260802", "STATUS:CANCELLED", "SUMMARY:Off"]),
      ev([
        "DTSTART;VALUE=DATE:20260905",
        "DTEND;VALUE=DATE:20260906",
        "RRULE:FREQ=WEEKLY;COUNT=3",
        "SUMMARY:Residency",
      ]),
      ev(["DTSTART;VALUE=DATE:20250101", "DTEND;VALUE=DATE:20250102", "SUMMARY:Past"]),
    ]);
    expect(busyDaysOf(text, new Date("2026-03-02T15:00:00Z"))).toEqual([
      "2026-06-20",
      "2026-06-27",
      "2026-07-10",
      "2026-07-11",
      "2026-09-05",
      "2026-09-12",
      "2026-09-19",
    ]);
  });
});

describe("DJ calendars", () => {
  it("serves a private feed of booked and held dates, and a rotated URL ends the old one", async () => {
    const s = testServices(t.db, clock());
    const user = await makeOrgUser(t.db, "dj");
    const dj = await makeDj(t.db, { orgId: user.orgId, city: "Calville" });
    await t.db.insert(djAvailability).values([
      { djId: dj.id, date: "2026-05-16", status: "booked" },
      { djId: dj.id, date: "2026-05-23", status: "available", lockedUntil: new Date("2026-03-03T00:00:00Z") },
      { djId: dj.id, date: "2026-05-30", status: "available", lockedUntil: new Date("2026-03-01T00:00:00Z") },
      { djId: dj.id, date: "2026-06-06", status: "unavailable" },
    ]);
    const c = callerAs(s, user);
    const { feedUrl } = await c.marketDj.calendarFeed();
    const token = /\/calendar\/([A-Za-z0-9_-]{43})\.ics$/.exec(feedUrl)![1]!;
    expect((await c.marketDj.calendarFeed()).feedUrl).toBe(feedUrl); // stable until rotated
    const text = (await renderCalendarFeed(s, token))!;
    const events = Object.values(nodeIcal.sync.parseICS(text)).filter((e) => e.type === "VEVENT");
    const byDay = events
      .map((e) => [(e as nodeIcal.VEvent).start.toISOString().slice(0, 10), (e as nodeIcal.VEvent).summary])
      .sort();
    // The expired hold and the DJ's own "unavailable" mark are not listed.
    expect(byDay).toEqual([
      ["2026-05-16", "Booked (LeadFlow)"],
      ["2026-05-23", "Held for a lead (LeadFlow)"],
    ]);
    const rotated = await c.marketDj.rotateCalendarFeed();
    expect(rotated.feedUrl).not.toBe(feedUrl);
    expect(await renderCalendarFeed(s, token)).toBeNull();
    expect(await renderCalendarFeed(s, /([A-Za-z0-9_-]{43})\.ics$/.exec(rotated.feedUrl)![1]!)).toContain(
      "BEGIN:VEVENT",
    );
    expect(await renderCalendarFeed(s, "x".repeat(43))).toBeNull();
    expect(await renderCalendarFeed(s, "../../etc/passwd")).toBeNull();
  });

  it("blocks leads on the external calendar's busy days, refetched by the job, through the outbound guard", async () => {
    const s = testServices(t.db, clock());
    const user = await makeOrgUser(t.db, "dj");
    const dj = await makeDj(t.db, { orgId: user.orgId, city: "Busyville" });
    const c = callerAs(s, user);
    const eligibleOn = async (eventDate: string) =>
      (
        await getEligibleDJs(t.db, {
          city: "Busyville",
          eventDate,
          budgetMinCents: null,
          budgetMaxCents: null,
          leadId: null,
          now: s.clock.now(),
        })
      ).map((e) => e.id);

    // Without the loopback allowance the guard refuses an internal address, and nothing is saved.
    const strict = { ...s, outbound: outboundPolicy("", testResolve) };
    await expect(callerAs(strict, user).marketDj.setExternalCalendar({ url: `${base}/cal.ics` })).rejects.toMatchObject(
      {
        code: "BAD_REQUEST",
        message: expect.stringMatching(/private address/),
      },
    );
    await expect(c.marketDj.setExternalCalendar({ url: "ftp://example.test/cal.ics" })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    expect((await c.marketDj.calendarFeed()).externalUrl).toBeNull();

    feed.body = ICS([ev(["DTSTART;VALUE=DATE:20260620", "DTEND;VALUE=DATE:20260621", "SUMMARY:Private gig"])]);
    const saved = await c.marketDj.setExternalCalendar({ url: `${base}/cal.ics` });
    expect(saved).toMatchObject({ externalUrl: `${base}/cal.ics`, externalError: null, externalBusy: ["2026-06-20"] });
    expect(await eligibleOn("2026-06-20")).toEqual([]);
    expect(await eligibleOn("2026-06-27")).toEqual([dj.id]);

    // The job reads it again: the gig moved a week.
    feed.body = ICS([ev(["DTSTART;VALUE=DATE:20260627", "DTEND;VALUE=DATE:20260628", "SUMMARY:Private gig"])]);
    expect(await refreshAllExternalCalendars(s)).toBeGreaterThanOrEqual(1);
    expect(await eligibleOn("2026-06-20")).toEqual([dj.id]);
    expect(await eligibleOn("2026-06-27")).toEqual([]);

    // A failing calendar keeps the last busy days and tells the DJ why; so does a page that is no calendar.
    feed.status = 500;
    await refreshAllExternalCalendars(s);
    let state = await c.marketDj.calendarFeed();
    expect(state.externalError).toMatch(/HTTP 500/);
    expect(state.externalBusy).toEqual(["2026-06-27"]);
    feed.status = 200;
    feed.body = "<html>login</html>";
    await refreshAllExternalCalendars(s);
    state = await c.marketDj.calendarFeed();
    expect(state.externalError).toMatch(/iCalendar/);
    expect(await eligibleOn("2026-06-27")).toEqual([]);

    // Removing the calendar frees its days.
    await c.marketDj.setExternalCalendar({ url: null });
    expect(await eligibleOn("2026-06-27")).toEqual([dj.id]);
  });
});
