// Bad input, property-based: the buyer import file (buyers.import over /trpc as an admin, real
// PostgreSQL). 10,000 generated files, built from a real export and then changed: some stay valid
// (renamed, re-keyed, new zips and caps, a new vertical), most get one thing broken (a field, a
// reference, a duplicate key, a type change, broken JSON). A broken file is refused whole with
// "line N, path: message" for what to fix; a valid one is imported and reports what it did; after
// EVERY case a fingerprint of the buyers, zips and verticals tables is compared: unchanged after a
// refusal, and the buyer count moves by exactly what a successful import says it created.
import { exportBuyers } from "@leadflow/api";
import { callerAs, makeOrgUser, silentLog, TEST_OUTBOUND } from "@leadflow/api/testing";
import { buyerZips, buyers, orgs, verticals } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { ManualClock } from "@leadflow/engine";
import { sql } from "drizzle-orm";
import fc from "fast-check";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "@leadflow/server";
import {
  brokenJson,
  check,
  deletePath,
  hostileText,
  notANumber,
  notAString,
  RUNS,
  sessionCookie,
  setPath,
  text,
  tooLong,
  trpc,
  trpcRefusalProblems,
  type Case,
} from "./harness";

let t: TestDb;
let app: FastifyInstance;
let adminCookie: string;
const clock = new ManualClock("2026-03-02T15:00:00Z");
type Entry = Record<string, unknown> & { key: string; type: "CONTRACTOR" | "NETWORK" };
let base: { format: string; version: number; verticals: Record<string, unknown>[]; buyers: Entry[] };

const settings = {
  timeZone: "America/Chicago",
  hours: { mon: [["08:00", "17:00"]] },
  capDaily: 5,
  capWeekly: 20,
  capMonthly: null,
  duplicateLookbackDays: 30,
  serviceZips: [{ zip: "38103", priority: 1 }],
  deliveryMode: "EXCLUSIVE",
  maxSharedLeads: 1,
  pricingModel: "AUCTION",
  fixedLeadPriceCents: null,
  maxBidCents: 4000,
  sharedPriceCents: null,
  deliveryMethods: ["DASHBOARD"],
  notificationEmail: null,
  webhookUrl: null,
};

beforeAll(async () => {
  t = await createTestDb();
  const services = {
    db: t.db,
    handle: t,
    clock,
    log: silentLog,
    publicUrl: "http://127.0.0.1",
    outbound: TEST_OUTBOUND,
  };
  app = await buildApp({ services, dashboardDir: "/nonexistent" });
  const admin = await makeOrgUser(t.db, "admin");
  adminCookie = await sessionCookie(t.db, clock, admin);
  await t.db.insert(verticals).values({ key: "roofing", name: "Roofing", floorCents: 1500 });
  const [con] = await t.db.insert(orgs).values({ name: "Summit Roofing", kind: "contractor" }).returning();
  const [net] = await t.db.insert(orgs).values({ name: "HomeQuote", kind: "network" }).returning();
  await t.db.insert(orgs).values({ name: "Brightpath", kind: "seller" });
  const as = callerAs(services, admin);
  await as.buyers.create({
    orgId: con!.id,
    buyer: {
      type: "CONTRACTOR",
      name: "Summit",
      active: true,
      verticals: ["roofing"],
      compliance: [],
      ...settings,
    } as never,
  });
  await as.buyers.create({
    orgId: net!.id,
    buyer: {
      type: "NETWORK",
      name: "HomeQuote",
      active: true,
      verticals: ["roofing"],
      compliance: [],
      timeZone: "America/New_York",
      hours: null,
      capDaily: null,
      capWeekly: null,
      capMonthly: null,
      duplicateLookbackDays: 0,
      serviceZips: [{ zip: "10001", priority: 1 }],
      pingUrl: "https://homequote.test/ping",
      postUrl: "https://homequote.test/post",
      pingTimeoutMs: 1000,
      minBidCents: 500,
      responseMapping: null,
    } as never,
  });
  base = JSON.parse(JSON.stringify(await exportBuyers(t.db, clock))) as typeof base;
  delete (base as Record<string, unknown>).exportedAt;
  delete (base as Record<string, unknown>).note;
}, 60_000);
afterAll(async () => {
  await app?.close();
  await t?.drop();
});

// ---- files --------------------------------------------------------------------------------------

const cents = fc.integer({ min: 1, max: 1_000_000 });
const digits5 = fc.integer({ min: 0, max: 99_999 }).map((n) => String(n).padStart(5, "0"));
/** Keys are per type, so a valid file never changes an existing buyer's type. */
const keyFor = (type: string) =>
  fc.integer({ min: 1, max: 8 }).map((n) => `${type === "NETWORK" ? "net" : "con"}-${n}`);

/** A valid change to one entry. */
const validEntry = (e: Entry, newVertical: string | null) =>
  fc
    .record({
      key: fc.oneof(fc.constant(e.key), keyFor(e.type)),
      name: text(120),
      active: fc.boolean(),
      caps: fc.tuple(
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
      ),
      zips: fc.uniqueArray(
        fc.record({
          zip: digits5,
          priority: fc.integer({ min: 1, max: 100 }),
          maxBidCents: fc.option(cents, { nil: null }),
        }),
        { selector: (z) => z.zip, maxLength: 5 },
      ),
      lookback: fc.integer({ min: 0, max: 365 }),
      useNew: fc.boolean(),
    })
    .map((v) => ({
      ...e,
      key: v.key,
      name: v.name,
      active: v.active,
      capDaily: v.caps[0],
      capWeekly: v.caps[0] + v.caps[1],
      capMonthly: v.caps[2] == null ? null : v.caps[0] + v.caps[1] + v.caps[2],
      serviceZips: v.zips,
      duplicateLookbackDays: v.lookback,
      verticals: newVertical && v.useNew ? ["roofing", newVertical] : ["roofing"],
    }));

/** A valid file with some of the exported buyers (`which`), each changed. */
const validFileOf = (which: fc.Arbitrary<number[]>) =>
  fc
    .record({
      which,
      newVertical: fc.option(fc.constantFrom("gutters", "solar-panels", "hvac"), { nil: null }),
      floor: fc.integer({ min: 0, max: 1_000_000 }),
      vname: text(80),
    })
    .chain(({ which, newVertical, floor, vname }) =>
      fc.tuple(...which.map((i) => validEntry(base.buyers[i]!, newVertical))).map((entries) => ({
        ...base,
        verticals: [
          ...base.verticals,
          ...(newVertical ? [{ key: newVertical, name: vname, floorCents: floor, active: true }] : []),
        ],
        buyers: entries,
      })),
    )
    // Two entries that drew the same key would be a (correctly) refused file: keep valid files valid.
    .filter((f) => new Set(f.buyers.map((b) => b.key)).size === f.buyers.length);
const validFile = validFileOf(fc.subarray([0, 1]));
/** Both buyers (the contractor first, then the network): what the mutations below edit. */
const fullFile = validFileOf(fc.constant([0, 1]));

type File = ReturnType<typeof structuredClone<typeof base>>;
/** Index (as a path segment) of the entry of this type in a file with both buyers. */
const at = (f: File, type: Entry["type"]) => String(f.buyers.findIndex((b) => b.type === type));
/** The key the exported buyer of this type has in the database. */
const baseKey = (type: Entry["type"]) => base.buyers.find((b) => b.type === type)!.key;
const bad = (why: string, body: unknown): Case => ({ label: "invalid", why, body });

const fileMutations: ((f: File) => fc.Arbitrary<Case>)[] = [
  (f) =>
    fc
      .constantFrom(
        ["format", "leadflow.sellers"],
        ["format", 1],
        ["version", 2],
        ["version", "1"],
        ["buyers", {}],
        ["buyers", null],
        ["verticals", "roofing"],
      )
      .map(([k, v]) => bad(`${k} = ${JSON.stringify(v)}`, setPath(f, [k as string], v))),
  (f) =>
    fc.constantFrom("format", "version", "buyers", "verticals").map((k) => bad(`missing ${k}`, deletePath(f, [k]))),
  (f) =>
    fc
      .tuple(fc.nat(), fc.constantFrom("key", "org", "type", "name", "timeZone", "serviceZips"))
      .map(([i, k]) => bad(`buyer without ${k}`, deletePath(f, ["buyers", String(i % 2), k]))),
  (f) =>
    fc
      .tuple(fc.nat(), fc.constantFrom("Bad Key", "", "UPPER", "x".repeat(121), "-lead", "a b"))
      .map(([i, k]) => bad(`key ${JSON.stringify(k)}`, setPath(f, ["buyers", String(i % 2), "key"], k))),
  (f) =>
    fc
      .tuple(fc.nat(), fc.constantFrom("No Such Org", "Brightpath", "", "   "))
      .map(([i, o]) => bad(`org ${JSON.stringify(o)}`, setPath(f, ["buyers", String(i % 2), "org"], o))),
  (f) =>
    fc.constant(
      bad(
        "org of the other kind",
        setPath(f, ["buyers", at(f, "CONTRACTOR"), "org"], (f.buyers[Number(at(f, "NETWORK"))] as Entry).org),
      ),
    ),
  (f) =>
    fc
      .tuple(fc.nat(), fc.constantFrom("BROKER", "contractor", "", null))
      .map(([i, ty]) => bad(`type ${JSON.stringify(ty)}`, setPath(f, ["buyers", String(i % 2), "type"], ty))),
  (f) => fc.constant(bad("duplicate key", setPath(f, ["buyers", "1", "key"], (f.buyers[0] as Entry).key))),
  // The network takes the key of the exported contractor, which exists here as a CONTRACTOR.
  (f) =>
    fc.constant(
      bad(
        "a buyer's type changes",
        setPath(
          setPath(f, ["buyers", at(f, "NETWORK"), "key"], baseKey("CONTRACTOR")),
          ["buyers", at(f, "CONTRACTOR"), "key"],
          "con-1",
        ),
      ),
    ),
  (f) =>
    fc
      .tuple(fc.nat(), fc.constantFrom("plumbing", "ROOFING", ""))
      .map(([i, v]) => bad(`vertical ${v}`, setPath(f, ["buyers", String(i % 2), "verticals"], [v]))),
  (f) =>
    fc.constant(
      bad(
        "fixed price missing",
        setPath(
          setPath(f, ["buyers", at(f, "CONTRACTOR"), "pricingModel"], "FIXED"),
          ["buyers", at(f, "CONTRACTOR"), "fixedLeadPriceCents"],
          null,
        ),
      ),
    ),
  (f) =>
    fc
      .tuple(fc.nat(), fc.constantFrom("3810", "abcde", 38103, ""))
      .map(([i, z]) =>
        bad(
          `zip ${JSON.stringify(z)}`,
          setPath(f, ["buyers", String(i % 2), "serviceZips"], [{ zip: z, priority: 1 }]),
        ),
      ),
  (f) =>
    fc
      .tuple(
        fc.nat(),
        fc.constantFrom("capDaily", "duplicateLookbackDays", "capWeekly"),
        fc.oneof(
          fc.integer({ min: -1000, max: -1 }),
          notANumber.filter((v) => v !== null),
        ),
      )
      .map(([i, k, v]) => bad(`${k} = ${JSON.stringify(v)}`, setPath(f, ["buyers", String(i % 2), k], v))),
  (f) =>
    fc
      .tuple(fc.nat(), fc.constantFrom("name", "timeZone"), notAString)
      .map(([i, k, v]) => bad(`${k} = ${JSON.stringify(v)}`, setPath(f, ["buyers", String(i % 2), k], v))),
  (f) =>
    fc
      .tuple(fc.nat(), tooLong(120))
      .map(([i, s]) => bad("name too long", setPath(f, ["buyers", String(i % 2), "name"], s))),
  (f) =>
    fc
      .constantFrom("ftp://x", "not a url", "")
      .map((u) => bad(`pingUrl ${u}`, setPath(f, ["buyers", at(f, "NETWORK"), "pingUrl"], u))),
  (f) =>
    fc
      .constantFrom(10, 20_000, -5, "fast")
      .map((ms) => bad(`pingTimeoutMs ${ms}`, setPath(f, ["buyers", at(f, "NETWORK"), "pingTimeoutMs"], ms))),
  (f) =>
    fc
      .tuple(fc.nat(), fc.constantFrom("webhookSecret", "orgId", "id", "price"))
      .map(([i, k]) => bad(`extra field ${k}`, setPath(f, ["buyers", String(i % 2), k], "x"))),
  (f) =>
    fc
      .constantFrom(["key", "Roofing!"], ["floorCents", -1], ["floorCents", 1.5], ["name", ""], ["floorCents", "15"])
      .map(([k, v]) => bad(`vertical ${k} = ${JSON.stringify(v)}`, setPath(f, ["verticals", "0", k as string], v))),
  (f) => fc.constant(bad("vertical with an extra field", setPath(f, ["verticals", "0", "color"], "red"))),
  (f) => fc.constantFrom(null, "x", 5, []).map((v) => bad(`buyer entry ${JSON.stringify(v)}`, { ...f, buyers: [v] })),
];

interface ImportCase extends Case {
  /** The file text as sent. */
  text: string;
}

const asText = (c: Case, pretty: boolean): ImportCase => ({ ...c, text: JSON.stringify(c.body, null, pretty ? 2 : 0) });

const importCase: fc.Arbitrary<ImportCase> = fc.boolean().chain((pretty) =>
  fc.oneof(
    { weight: 25, arbitrary: validFile.map((f) => asText({ label: "valid", why: "valid file", body: f }, pretty)) },
    {
      weight: 55,
      arbitrary: fullFile
        .chain((f) => fc.constantFrom(...fileMutations).chain((m) => m(f as File)))
        .map((c) => asText(c, pretty)),
    },
    // Text the database can't hold, written as JSON escapes inside the file: refused or imported, never a 500.
    {
      weight: 5,
      arbitrary: fc
        .tuple(fullFile, hostileText, fc.constantFrom("name", "key", "org"))
        .map(([f, s, k]) =>
          asText(
            { label: "either", why: `${k} = ${JSON.stringify(s)}`, body: setPath(f, ["buyers", "0", k], s) },
            pretty,
          ),
        ),
    },
    {
      weight: 10,
      arbitrary: fullFile
        .chain((f) => brokenJson(JSON.stringify(f, null, pretty ? 2 : 0)))
        .map(({ raw, why }): ImportCase => ({ label: "invalid", why, body: null, text: raw })),
    },
    {
      weight: 3,
      arbitrary: fc
        .constantFrom("", "   ", "null", "[]", "{}", "buyers,csv\nsummit,roofing", "\u0000")
        .map((s): ImportCase => ({ label: "invalid", why: `text ${JSON.stringify(s)}`, body: null, text: s })),
    },
  ),
);

async function fingerprint() {
  const [r] = await t.db
    .select({
      buyers: sql<string>`(select coalesce(md5(string_agg(b::text, ',' order by b.id)), '') from ${buyers} b)`,
      buyerCount: sql<number>`(select count(*)::int from ${buyers})`,
      zips: sql<string>`(select coalesce(md5(string_agg(z::text, ',' order by z.buyer_id, z.zip)), '') from ${buyerZips} z)`,
      verticals: sql<string>`(select coalesce(md5(string_agg(v::text, ',' order by v.key)), '') from ${verticals} v)`,
    })
    .from(sql`(select 1) as one`);
  return r!;
}

describe("the buyer import file under generated input", () => {
  it(`imports valid files whole and refuses ${RUNS} generated broken ones whole, with the line to fix, never a 5xx`, async () => {
    const stats = { valid: 0, invalid: 0, either: 0, imported: 0, refused: 0, created: 0, updated: 0 };
    let before = await fingerprint();
    const started = performance.now();
    await check(importCase, async (c) => {
      const a = await trpc(app, "mutation", "buyers.import", { value: { text: c.text } }, adminCookie);
      stats[c.label]++;
      const after = await fingerprint();
      const label = `${c.why}: ${a.status} ${a.raw.slice(0, 500)}`;
      expect(a.status, label).toBeLessThan(500);
      if (a.status < 300) {
        stats.imported++;
        expect(c.label, label).not.toBe("invalid");
        const r = a.data as { created: number; updated: number; verticals: number };
        const file = c.body as { buyers: unknown[]; verticals: unknown[] };
        expect(r.created + r.updated, label).toBe(file.buyers.length);
        expect(r.verticals, label).toBe(file.verticals.length);
        expect(after.buyerCount - before.buyerCount, label).toBe(r.created);
        stats.created += r.created;
        stats.updated += r.updated;
      } else {
        stats.refused++;
        expect(c.label, label).not.toBe("valid");
        expect(trpcRefusalProblems(a, c.body === null ? undefined : "file"), label).toEqual([]);
        if (a.error?.fieldErrors?.file) {
          // Each problem says where: "line N, <path>: <message>".
          for (const line of a.error.fieldErrors.file)
            expect(line, label).toMatch(/^(line \d+, .+: .+|… and \d+ more)$/s);
        }
        expect(after, `rows changed on a refusal: ${label}`).toEqual(before);
      }
      before = after;
    });
    process.stderr.write(
      `import: ${RUNS} cases in ${((performance.now() - started) / 1000).toFixed(1)} s ${JSON.stringify(stats)}\n`,
    );
    expect(stats.imported).toBeGreaterThan(RUNS * 0.15);
    expect(stats.refused).toBeGreaterThan(RUNS * 0.5);
    expect(stats.created).toBeGreaterThan(0);
  }, 600_000);
});
