// Bad input, property-based: the settings procedures over /trpc on the in-process app, real
// PostgreSQL. 10,000 generated calls spread over a contractor's delivery settings
// (buyers.updateSettings), a DJ's prices and calendar (marketDj.setPriceRange, setAvailability)
// and the admin's routing settings (marketAdmin.setRoutingSettings). Every refusal is a 4xx with
// field errors a form can show; every valid call is saved as sent; after EVERY case a fingerprint
// of all the rows these procedures write is compared: unchanged after a refusal.
import type { SessionUser } from "@leadflow/api";
import { makeDj, makeOrgUser, silentLog, TEST_OUTBOUND } from "@leadflow/api/testing";
import { buyerZips, buyers, djAvailability, djs, marketSettings } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { ManualClock, MAX_BID_CENTS } from "@leadflow/engine";
import { sql } from "drizzle-orm";
import fc from "fast-check";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "@leadflow/server";
import {
  check,
  deletePath,
  junkBodies,
  notANumber,
  notAString,
  RUNS,
  sessionCookie,
  setPath,
  tooLong,
  trpc,
  trpcRefusalProblems,
  type Case,
} from "./harness";

let t: TestDb;
let app: FastifyInstance;
const clock = new ManualClock("2026-03-02T15:00:00Z");
const cookie: Record<"contractor" | "dj" | "admin", string> = { contractor: "", dj: "", admin: "" };
let buyerId: string;
let djId: string;

beforeAll(async () => {
  t = await createTestDb();
  app = await buildApp({
    services: { db: t.db, handle: t, clock, log: silentLog, publicUrl: "http://127.0.0.1", outbound: TEST_OUTBOUND },
    dashboardDir: "/nonexistent",
  });
  const users: Record<string, SessionUser> = {
    contractor: await makeOrgUser(t.db, "contractor"),
    dj: await makeOrgUser(t.db, "dj"),
    admin: await makeOrgUser(t.db, "admin"),
  };
  for (const k of ["contractor", "dj", "admin"] as const) cookie[k] = await sessionCookie(t.db, clock, users[k]!);
  const [b] = await t.db
    .insert(buyers)
    .values({
      orgId: users.contractor!.orgId,
      name: "Roofer",
      type: "CONTRACTOR",
      verticals: [],
      timeZone: "America/Chicago",
    })
    .returning();
  buyerId = b!.id;
  djId = (await makeDj(t.db, { orgId: users.dj!.orgId })).id;
}, 60_000);
afterAll(async () => {
  await app?.close();
  await t?.drop();
});

// ---- buyers.updateSettings ----------------------------------------------------------------------

const digits5 = fc.integer({ min: 0, max: 99_999 }).map((n) => String(n).padStart(5, "0"));
const cents = fc.integer({ min: 1, max: MAX_BID_CENTS });
const hm = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
  .map(([h, m]) => `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`);
const day = fc.array(
  fc.tuple(hm, hm).map(([a, b]) => (a < b ? [a, b] : [b, a === b ? "24:00" : a])),
  { maxLength: 3 },
);

const validSettings = fc
  .record({
    timeZone: fc.constantFrom("America/Chicago", "America/New_York", "Europe/Berlin", "Asia/Tokyo", " America/Denver "),
    hours: fc.option(fc.record({ mon: day, tue: day, sat: day }, { requiredKeys: [] }), { nil: null }),
    caps: fc.tuple(
      fc.option(fc.integer({ min: 0, max: 1000 }), { nil: null }),
      fc.integer({ min: 0, max: 1000 }),
      fc.integer({ min: 0, max: 1000 }),
    ),
    duplicateLookbackDays: fc.integer({ min: 0, max: 365 }),
    serviceZips: fc.uniqueArray(
      fc.record(
        { zip: digits5, priority: fc.integer({ min: 1, max: 100 }), maxBidCents: fc.option(cents, { nil: undefined }) },
        { requiredKeys: ["zip", "priority"] },
      ),
      { selector: (z) => z.zip, maxLength: 12 },
    ),
    mode: fc.oneof(
      fc.constant({ deliveryMode: "EXCLUSIVE", maxSharedLeads: 1 }),
      fc.integer({ min: 2, max: 50 }).map((n) => ({ deliveryMode: "SHARED", maxSharedLeads: n })),
    ),
    pricing: fc.oneof(
      cents.map((c) => ({ pricingModel: "FIXED", fixedLeadPriceCents: c, maxBidCents: null, sharedPriceCents: null })),
      cents.map((c) => ({
        pricingModel: "AUCTION",
        fixedLeadPriceCents: null,
        maxBidCents: c,
        sharedPriceCents: null,
      })),
      fc.tuple(fc.integer({ min: 2, max: MAX_BID_CENTS }), fc.nat()).map(([max, r]) => ({
        pricingModel: "HYBRID",
        fixedLeadPriceCents: null,
        maxBidCents: max,
        sharedPriceCents: 1 + (r % (max - 1)),
      })),
    ),
    methods: fc.subarray(["DASHBOARD", "EMAIL", "WEBHOOK"] as const, { minLength: 1 }),
    email: fc.constantFrom("leads@roofer.test", "a.b+c@example.com"),
    url: fc.constantFrom("https://crm.roofer.test/hook", "http://127.0.0.1:9/x?y=1"),
    secret: fc.option(fc.constantFrom("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_AAAAAAAAAAAAAAAAAAAAAAAA"), {
      nil: undefined,
    }),
  })
  .map((v) => {
    const [d, w, m] = v.caps;
    const weekly = d == null ? w : d + w;
    return {
      id: buyerId,
      timeZone: v.timeZone,
      hours: v.hours,
      capDaily: d,
      capWeekly: weekly,
      capMonthly: weekly + m,
      duplicateLookbackDays: v.duplicateLookbackDays,
      serviceZips: v.serviceZips,
      ...v.mode,
      ...v.pricing,
      deliveryMethods: [...v.methods],
      notificationEmail: v.methods.includes("EMAIL") ? v.email : null,
      webhookUrl: v.methods.includes("WEBHOOK") ? v.url : null,
      ...(v.secret ? { webhookSecret: v.secret } : {}),
    } as Record<string, unknown>;
  });

const bad = (field: string | undefined, why: string, body: unknown): Case => ({ label: "invalid", why, field, body });

const settingsMutations: ((b: Record<string, unknown>) => fc.Arbitrary<Case>)[] = [
  (b) =>
    fc
      .constantFrom(
        "id",
        "timeZone",
        "duplicateLookbackDays",
        "serviceZips",
        "deliveryMode",
        "maxSharedLeads",
        "pricingModel",
        "deliveryMethods",
      )
      .map((k) => bad(k, `missing ${k}`, deletePath(b, [k]))),
  (b) =>
    fc
      .tuple(
        fc.constantFrom("timeZone", "notificationEmail", "webhookUrl", "deliveryMode", "pricingModel"),
        notAString.filter((v) => v !== null),
      )
      .map(([k, v]) => bad(k, `${k} = ${JSON.stringify(v)}`, setPath(b, [k], v))),
  (b) =>
    fc
      .tuple(
        fc.constantFrom(
          "capDaily",
          "capWeekly",
          "capMonthly",
          "duplicateLookbackDays",
          "maxSharedLeads",
          "fixedLeadPriceCents",
          "maxBidCents",
          "sharedPriceCents",
        ),
        notANumber.filter((v) => v !== null),
      )
      .map(([k, v]) => bad(k, `${k} = ${JSON.stringify(v)}`, setPath(b, [k], v))),
  (b) =>
    fc
      .tuple(
        fc.constantFrom("capDaily", "capWeekly", "capMonthly", "duplicateLookbackDays"),
        fc.integer({ min: -1_000_000, max: -1 }),
      )
      .map(([k, v]) => bad(k, `${k} negative`, setPath(b, [k], v))),
  (b) =>
    fc
      .tuple(
        fc.constantFrom("fixedLeadPriceCents", "maxBidCents", "sharedPriceCents"),
        fc.oneof(
          fc.integer({ min: -1e9, max: 0 }),
          fc.integer({ min: MAX_BID_CENTS + 1, max: 2e9 }),
          fc.constant(12.5),
        ),
      )
      .map(([k, v]) => bad(k, `${k} = ${v}`, setPath(b, [k], v))),
  (b) =>
    fc
      .tuple(
        fc.constantFrom(["duplicateLookbackDays", 366], ["maxSharedLeads", 51], ["capDaily", 100_001]),
        fc.integer({ min: 0, max: 1e6 }),
      )
      .map(([[k, min], n]) => bad(k as string, `${k} too big`, setPath(b, [k as string], (min as number) + n))),
  (b) =>
    fc
      .constantFrom("Mars/Olympus", "UTC", "America/Chicagoo", "", "   ", "../../etc/passwd")
      .map((z) => bad("timeZone", `timeZone ${JSON.stringify(z)}`, setPath(b, ["timeZone"], z))),
  (b) =>
    fc
      .constantFrom("7520", "abcde", "752011", "", 75201, null, "７５２０１")
      .map((z) => bad("serviceZips", `zip ${JSON.stringify(z)}`, { ...b, serviceZips: [{ zip: z, priority: 1 }] })),
  (b) =>
    fc
      .constantFrom(0, -1, 101, 1.5, "1", null)
      .map((p) =>
        bad("serviceZips", `priority ${JSON.stringify(p)}`, { ...b, serviceZips: [{ zip: "38103", priority: p }] }),
      ),
  (b) =>
    fc.constant(
      bad("serviceZips", "duplicate zip", {
        ...b,
        serviceZips: [
          { zip: "38103", priority: 1 },
          { zip: "38103", priority: 2 },
        ],
      }),
    ),
  (b) =>
    fc.constant(
      bad("serviceZips", "2001 zips", {
        ...b,
        serviceZips: Array.from({ length: 2001 }, (_, i) => ({ zip: String(i).padStart(5, "0"), priority: 1 })),
      }),
    ),
  (b) =>
    fc
      .constantFrom(
        { mon: [["25:00", "26:00"]] },
        { mon: [["8:00", "17:00"]] },
        { funday: [] },
        { mon: "all day" },
        { mon: [["08:00"]] },
        { mon: Array(7).fill(["08:00", "09:00"]) },
        [],
      )
      .map((h) => bad("hours", `hours ${JSON.stringify(h)}`, setPath(b, ["hours"], h))),
  (b) =>
    fc
      .constantFrom("SOMETIMES", "exclusive", "")
      .map((m) => bad("deliveryMode", `deliveryMode ${m}`, setPath(b, ["deliveryMode"], m))),
  (b) => fc.constant(bad("maxSharedLeads", "shared for one", { ...b, deliveryMode: "SHARED", maxSharedLeads: 1 })),
  (b) =>
    fc.constantFrom([], ["FAX"], ["EMAIL", "EMAIL"], "EMAIL").map((m) =>
      bad("deliveryMethods", `methods ${JSON.stringify(m)}`, {
        ...b,
        deliveryMethods: m,
        notificationEmail: "x@y.test",
      }),
    ),
  (b) =>
    fc.constant(bad("webhookUrl", "webhook without url", { ...b, deliveryMethods: ["WEBHOOK"], webhookUrl: null })),
  (b) =>
    fc.constant(
      bad("notificationEmail", "email without address", { ...b, deliveryMethods: ["EMAIL"], notificationEmail: null }),
    ),
  (b) =>
    fc
      .constantFrom("ftp://x.test", "javascript:alert(1)", "not a url", "http://", "https:// spaced.test")
      .map((u) => bad("webhookUrl", `url ${u}`, { ...b, deliveryMethods: ["WEBHOOK"], webhookUrl: u })),
  (b) =>
    tooLong(2000).map((s) =>
      bad("webhookUrl", "url too long", { ...b, deliveryMethods: ["WEBHOOK"], webhookUrl: `https://x.test/${s}` }),
    ),
  (b) =>
    fc
      .constantFrom("nope", "a@b", "@x.test", "")
      .map((e) => bad("notificationEmail", `email ${e}`, { ...b, deliveryMethods: ["EMAIL"], notificationEmail: e })),
  (b) =>
    fc.constant(
      bad("fixedLeadPriceCents", "fixed without price", { ...b, pricingModel: "FIXED", fixedLeadPriceCents: null }),
    ),
  (b) =>
    fc.constant(bad("maxBidCents", "auction without max bid", { ...b, pricingModel: "AUCTION", maxBidCents: null })),
  (b) =>
    fc.constant(
      bad("sharedPriceCents", "hybrid shared price above the max bid", {
        ...b,
        pricingModel: "HYBRID",
        maxBidCents: 1000,
        sharedPriceCents: 1000,
      }),
    ),
  (b) => fc.constant(bad("capWeekly", "weekly below daily", { ...b, capDaily: 10, capWeekly: 5, capMonthly: 50 })),
  (b) =>
    fc
      .constantFrom("whsec_short", "secret", "whsec_" + "!".repeat(30), "")
      .map((s) => bad("webhookSecret", `secret ${s}`, { ...b, webhookSecret: s })),
  (b) =>
    fc
      .constantFrom("not-a-uuid", "", "00000000-0000-0000-0000-00000000000g")
      .map((id) => bad("id", `id ${id}`, { ...b, id })),
  (b) =>
    fc
      .constantFrom("orgId", "webhookSecretHash", "type", "name")
      .map((k) => bad(undefined, `extra field ${k}`, { ...b, [k]: "x" })),
];

// ---- the DJ's and the admin's settings ----------------------------------------------------------

type Call = { path: string; case: Case };
const djPrices = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.tuple(fc.integer({ min: 50, max: 100_000 }), fc.integer({ min: 50, max: 100_000 })).map(
      ([a, b]) =>
        ({
          label: "valid",
          why: "prices",
          body: { priceMinDollars: Math.min(a, b), priceMaxDollars: Math.max(a, b) },
        }) as Case,
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 51, max: 100_000 }), fc.integer({ min: 1, max: 1000 }))
      .map(([a, d]) => bad(undefined, "min above max", { priceMinDollars: a, priceMaxDollars: Math.max(50, a - d) })),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.constantFrom("priceMinDollars", "priceMaxDollars"),
        fc.oneof(
          fc.integer({ min: -1e6, max: 49 }),
          fc.integer({ min: 100_001, max: 1e9 }),
          fc.constant(99.5),
          notANumber,
        ),
      )
      .map(([k, v]) => bad(k, `${k} = ${JSON.stringify(v)}`, { priceMinDollars: 100, priceMaxDollars: 200, [k]: v })),
  },
);
const djDay = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        fc.date({ min: new Date("2026-03-02T00:00:00Z"), max: new Date("2027-12-31T00:00:00Z"), noInvalidDate: true }),
        fc.constantFrom("available", "unavailable"),
      )
      .map(
        ([d, s]) => ({ label: "valid", why: "day", body: { date: d.toISOString().slice(0, 10), status: s } }) as Case,
      ),
  },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom(
        "2026-03-01",
        "2020-01-01",
        "2026-02-30",
        "2026-13-01",
        "tomorrow",
        "",
        "2026-3-5",
        "2026-03-05T00:00:00Z",
        "+022026-03-05",
      )
      .map((d) => bad("date", `date ${d}`, { date: d, status: "unavailable" })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom("busy", "", null, 1)
      .map((s) => bad("status", `status ${JSON.stringify(s)}`, { date: "2026-05-01", status: s })),
  },
);
const routingKeys = [
  "exclusiveWindowMinutes",
  "tierExpansionWindowMinutes",
  "broadcastWindowMinutes",
  "maxExclusiveDJs",
  "maxTierExpansionDJs",
  "maxBroadcastDJs",
] as const;
const routingMax = {
  exclusiveWindowMinutes: 10_080,
  tierExpansionWindowMinutes: 10_080,
  broadcastWindowMinutes: 10_080,
  maxExclusiveDJs: 10,
  maxTierExpansionDJs: 50,
  maxBroadcastDJs: 200,
};
const routing = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .record(Object.fromEntries(routingKeys.map((k) => [k, fc.integer({ min: 1, max: routingMax[k] })])), {
        requiredKeys: [],
      })
      .map((body) => ({ label: "valid", why: "routing", body }) as Case),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.constantFrom(...routingKeys),
        fc.oneof(
          fc.integer({ min: -1e6, max: 0 }),
          fc.integer({ min: 10_081, max: 1e9 }),
          fc.constant(2.5),
          notANumber,
        ),
      )
      .map(([k, v]) => bad(k, `${k} = ${JSON.stringify(v)}`, { [k]: v })),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom("exclusiveWindow", "maxDJs", "constructor", "toString", "hasOwnProperty")
      .map((k) => bad(k, `unknown key ${k}`, { [k]: 5 })),
  },
);

interface SettingsCall extends Call {
  who: "contractor" | "dj" | "admin";
  raw?: string;
}

const settingsCall: fc.Arbitrary<SettingsCall> = fc.oneof(
  {
    weight: 2,
    arbitrary: validSettings.map((b): SettingsCall => ({
      who: "contractor",
      path: "buyers.updateSettings",
      case: { label: "valid", why: "valid settings", body: b },
    })),
  },
  {
    weight: 5,
    arbitrary: validSettings
      .chain((b) => fc.constantFrom(...settingsMutations).chain((m) => m(b)))
      .map((c): SettingsCall => ({ who: "contractor", path: "buyers.updateSettings", case: c })),
  },
  { weight: 1, arbitrary: djPrices.map((c): SettingsCall => ({ who: "dj", path: "marketDj.setPriceRange", case: c })) },
  { weight: 1, arbitrary: djDay.map((c): SettingsCall => ({ who: "dj", path: "marketDj.setAvailability", case: c })) },
  {
    weight: 1,
    arbitrary: routing.map((c): SettingsCall => ({ who: "admin", path: "marketAdmin.setRoutingSettings", case: c })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.constantFrom(
          "buyers.updateSettings",
          "marketDj.setPriceRange",
          "marketDj.setAvailability",
          "marketAdmin.setRoutingSettings",
        ),
        junkBodies,
      )
      .map(([path, j]): SettingsCall => ({
        who: path.startsWith("buyers") ? "contractor" : path.startsWith("marketDj") ? "dj" : "admin",
        path,
        raw: j.raw,
        case: { label: "either", why: j.why, body: null },
      })),
  },
);

/** One fingerprint of every row these procedures write. */
async function fingerprint() {
  const [r] = await t.db
    .select({
      buyer: sql<string>`(select md5(b::text) from ${buyers} b where b.id = ${buyerId})`,
      zips: sql<string>`(select coalesce(md5(string_agg(z::text, ',' order by z.zip)), '') from ${buyerZips} z)`,
      dj: sql<string>`(select md5(d::text) from ${djs} d where d.id = ${djId})`,
      // Row count and the newest writing transaction: any insert, update or delete moves one of them.
      days: sql<string>`(select count(*) || ':' || coalesce(max(xmin::text::bigint), 0) from ${djAvailability})`,
      routing: sql<string>`(select coalesce(md5(string_agg(m::text, ',')), '') from ${marketSettings} m)`,
    })
    .from(sql`(select 1) as one`);
  return r!;
}

describe("settings procedures under generated input", () => {
  it(`answer ${RUNS} generated settings with success or a clear 4xx naming the field, never a 5xx or a partial write`, async () => {
    const stats = { byPath: {} as Record<string, number>, valid: 0, invalid: 0, either: 0, saved: 0, refused: 0 };
    let before = await fingerprint();
    const started = performance.now();
    await check(settingsCall, async (call) => {
      const c = call.case;
      const a = await trpc(
        app,
        "mutation",
        call.path,
        call.raw !== undefined ? { raw: call.raw } : { value: c.body },
        cookie[call.who],
      );
      stats.byPath[call.path] = (stats.byPath[call.path] ?? 0) + 1;
      stats[c.label]++;
      const after = await fingerprint();
      const label = `${call.path} ${c.why}: ${a.status} ${a.raw.slice(0, 400)}`;
      expect(a.status, label).toBeLessThan(500);
      if (a.status < 300) {
        stats.saved++;
        expect(c.label, label).not.toBe("invalid");
        if (call.path === "buyers.updateSettings") {
          const b = c.body as { serviceZips: unknown[]; capDaily: number | null; timeZone: string };
          const saved = a.data as { buyer: { serviceZips: unknown[]; capDaily: number | null; timeZone: string } };
          expect(saved.buyer.serviceZips.length, label).toBe(b.serviceZips.length);
          expect(saved.buyer.capDaily, label).toBe(b.capDaily);
          expect(saved.buyer.timeZone, label).toBe(b.timeZone.trim());
        }
      } else {
        stats.refused++;
        expect(c.label, label).not.toBe("valid");
        expect(trpcRefusalProblems(a, c.label === "invalid" ? c.field : undefined), label).toEqual([]);
        expect(after, `rows changed on a refusal: ${label}`).toEqual(before);
      }
      before = after;
    });
    process.stderr.write(
      `settings: ${RUNS} cases in ${((performance.now() - started) / 1000).toFixed(1)} s ${JSON.stringify(stats)}\n`,
    );
    expect(stats.saved).toBeGreaterThan(RUNS * 0.15);
    expect(stats.refused).toBeGreaterThan(RUNS * 0.4);
  }, 600_000);
});
