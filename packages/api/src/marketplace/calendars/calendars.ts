// DJs' calendars (issue #17 item 4).
// - The private feed: `/calendar/<token>.ics`, an unguessable token (256 bits) per DJ, rotatable;
//   all-day events for the DJ's booked dates and the dates held for a lead, generated with
//   ical-generator, for subscribing from Google or Apple Calendar.
// - The external feed: a URL of the DJ's own calendar, fetched through the outbound guard (no
//   internal addresses) by the `dj-calendar-fetch` job and parsed with node-ical; its busy days
//   (events not marked free, recurring ones expanded) block leads of those dates (eligibility).
import {
  ensureDjCalendar,
  findDjByFeedToken,
  getDjCalendar,
  listDjExternalBusy,
  listDjFeedDates,
  listExternalCalendars,
  replaceDjExternalBusy,
  rotateDjFeedToken,
  setDjExternalError,
  setDjExternalUrl,
} from "@leadflow/db";
import ical from "ical-generator";
import { randomBytes } from "node:crypto";
import type PgBoss from "pg-boss";
import { request } from "undici";
import type { Services } from "../../context";
import { buyerAgent, errorText } from "../../auction/http";
import { AppError } from "../../errors";
import { checkOutboundUrl } from "../../outbound/guard";
import { lazyRequire } from "../../lazy-require";
import type NodeIcal from "node-ical";

const nodeIcal = lazyRequire<typeof NodeIcal>("node-ical");

export const CALENDAR_FETCH_QUEUE = "dj-calendar-fetch";
/** Busy days are kept this far ahead; a feed bigger than this many bytes is refused. */
const HORIZON_DAYS = 730;
const MAX_FEED_BYTES = 2 * 1024 * 1024;

const newToken = () => randomBytes(32).toString("base64url");
const day = (d: Date) => d.toISOString().slice(0, 10);
const feedUrl = (publicUrl: string, token: string) => `${publicUrl.replace(/\/+$/, "")}/calendar/${token}.ics`;

/** What the DJ's calendar page shows. */
export async function djCalendarSettings(s: Pick<Services, "db" | "clock" | "publicUrl">, djId: string) {
  const cal = await ensureDjCalendar(s.db, djId, newToken(), s.clock.now());
  return {
    feedUrl: feedUrl(s.publicUrl, cal.feedToken),
    externalUrl: cal.externalUrl,
    externalFetchedAt: cal.externalFetchedAt,
    externalError: cal.externalError,
    externalBusy: await listDjExternalBusy(s.db, djId, day(s.clock.now())),
  };
}

/** A new feed URL; the old one stops working at once. */
export async function rotateCalendarFeed(s: Pick<Services, "db" | "clock" | "publicUrl">, djId: string) {
  const token = newToken();
  await rotateDjFeedToken(s.db, djId, token, s.clock.now());
  return { feedUrl: feedUrl(s.publicUrl, token) };
}

/** The feed itself, or null for a token that is not (or no longer) a DJ's. */
export async function renderCalendarFeed(s: Pick<Services, "db" | "clock">, token: string): Promise<string | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const dj = await findDjByFeedToken(s.db, token);
  if (!dj) return null;
  const now = s.clock.now();
  const from = day(new Date(now.getTime() - 30 * 86_400_000));
  const cal = ical({ name: `${dj.name} — LeadFlow bookings`, prodId: { company: "LeadFlow", product: "dj-calendar" } });
  for (const d of await listDjFeedDates(s.db, dj.djId, from, now)) {
    const booked = d.status === "booked";
    cal.createEvent({
      id: `${dj.djId}-${d.date}@leadflow`,
      start: new Date(`${d.date}T00:00:00Z`),
      allDay: true,
      summary: booked ? "Booked (LeadFlow)" : "Held for a lead (LeadFlow)",
      description: booked
        ? "A booking through LeadFlow."
        : `Held while a couple decides${d.lockedUntil ? `, until ${d.lockedUntil.toISOString()}` : ""}.`,
      stamp: now,
    });
  }
  return cal.toString();
}

/** Saves (or with null, removes) the DJ's external calendar, then reads it once at once. */
export async function setExternalCalendar(s: Services, djId: string, url: string | null) {
  if (url) {
    const problem = await checkOutboundUrl(url, s.outbound ?? { allow: [] }, "The calendar URL");
    if (problem) throw new AppError("BAD_REQUEST", problem, { url: [problem] });
  }
  await setDjExternalUrl(s.db, djId, url, newToken(), s.clock.now());
  if (url) await refreshExternalCalendar(s, djId);
  return djCalendarSettings(s, djId);
}

/** The days an ICS text shows busy, from `from` for HORIZON_DAYS. */
export function busyDaysOf(text: string, from: Date): string[] {
  const until = new Date(from.getTime() + HORIZON_DAYS * 86_400_000);
  const first = day(from);
  const last = day(until);
  const days = new Set<string>();
  const add = (start: Date, end: Date, dateOnly: boolean) => {
    // All-day dates are made at local midnight by node-ical; timed events count by their UTC day.
    const key = (d: Date) =>
      dateOnly
        ? `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`
        : day(d);
    const endMs = end.getTime() - 1; // DTEND is exclusive
    for (let t = start.getTime(), n = 0; t <= Math.max(start.getTime(), endMs) && n < 366; n++) {
      const k = key(new Date(t));
      if (k >= first && k <= last) days.add(k);
      t += 86_400_000;
    }
  };
  const parsed = nodeIcal().sync.parseICS(text);
  for (const c of Object.values(parsed)) {
    if (c.type !== "VEVENT" || !c.start) continue;
    if (c.transparency === "TRANSPARENT" || c.status === "CANCELLED") continue;
    const dateOnly = (c.start as Date & { dateOnly?: boolean }).dateOnly === true || c.datetype === "date";
    const length = c.end ? c.end.getTime() - c.start.getTime() : dateOnly ? 86_400_000 : 0;
    if (c.rrule) {
      const lookBack = new Date(from.getTime() - Math.max(length, 86_400_000));
      for (const occ of c.rrule.between(lookBack, until, true).slice(0, 1000))
        add(occ, new Date(occ.getTime() + length), dateOnly);
    } else add(c.start, new Date(c.start.getTime() + length), dateOnly);
  }
  return [...days].sort();
}

/** Fetches one DJ's external calendar through the outbound guard; a failure keeps the last busy days. */
export async function refreshExternalCalendar(s: Services, djId: string): Promise<"ok" | "failed" | "none"> {
  const cal = await getDjCalendar(s.db, djId);
  if (!cal?.externalUrl) return "none";
  const now = s.clock.now();
  try {
    const res = await request(cal.externalUrl, {
      method: "GET",
      headers: { accept: "text/calendar" },
      dispatcher: buyerAgent(s.outbound),
      signal: AbortSignal.timeout(15_000),
    });
    if (res.statusCode !== 200) {
      await res.body.dump();
      throw new Error(`the calendar answered HTTP ${res.statusCode}`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of res.body) {
      size += (c as Buffer).length;
      if (size > MAX_FEED_BYTES) throw new Error("the calendar is larger than 2 MB");
      chunks.push(c as Buffer);
    }
    const text = Buffer.concat(chunks).toString("utf8");
    if (!text.includes("BEGIN:VCALENDAR")) throw new Error("the address did not return an iCalendar (.ics) file");
    const days = busyDaysOf(text, now);
    await s.db.transaction((tx) => replaceDjExternalBusy(tx, djId, days, now));
    return "ok";
  } catch (err) {
    await setDjExternalError(s.db, djId, `Could not read your calendar: ${errorText(err)}`, now);
    s.log.warn({ djId, err: errorText(err) }, "external calendar fetch failed");
    return "failed";
  }
}

export async function refreshAllExternalCalendars(s: Services): Promise<number> {
  let n = 0;
  for (const c of await listExternalCalendars(s.db)) if ((await refreshExternalCalendar(s, c.djId)) === "ok") n++;
  return n;
}

/** Every 15 minutes, each DJ's external calendar is read again. */
export async function registerCalendarJobs(boss: PgBoss, s: Services): Promise<void> {
  await boss.createQueue(CALENDAR_FETCH_QUEUE);
  await boss.work(CALENDAR_FETCH_QUEUE, async () => {
    await refreshAllExternalCalendars({ ...s, boss });
  });
  await boss.schedule(CALENDAR_FETCH_QUEUE, "*/15 * * * *");
}
