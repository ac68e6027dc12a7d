// Bad input, property-based: POST /api/v1/leads over the in-process app on real PostgreSQL.
// 10,000 generated requests, mostly near-valid bodies with one thing broken. Every refusal must be
// a 4xx with a clear message (naming the field), never a 5xx; every valid body must be taken
// (201, or 200 for a resubmitted externalId); after EVERY case the lead and event row counts
// moved exactly as the answer says (+1/+1 on 201, nothing otherwise).
import { createApiKey, type Services } from "@leadflow/api";
import { silentLog, TEST_OUTBOUND } from "@leadflow/api/testing";
import { createBoss, leadEvents, leads, orgs, verticals } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { ManualClock } from "@leadflow/engine";
import { sql } from "drizzle-orm";
import fc from "fast-check";
import type { FastifyInstance } from "fastify";
import type PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "@leadflow/server";
import {
  brokenJson,
  check,
  deletePath,
  hostileText,
  junkBodies,
  notAString,
  RUNS,
  restRefusalProblems,
  setPath,
  text,
  tooLong,
  valid,
  wrongTypes,
  type Case,
} from "./harness";

let t: TestDb;
let app: FastifyInstance;
let boss: PgBoss;
let apiKey: string;

beforeAll(async () => {
  t = await createTestDb();
  // A real queue with no workers: a taken lead is stored and its auction job waits, so the row
  // counts below move only by intake.
  boss = createBoss(t);
  boss.on("error", () => {});
  await boss.start();
  const s: Services = {
    db: t.db,
    handle: t,
    clock: new ManualClock("2026-03-02T16:00:00Z"),
    log: silentLog,
    publicUrl: "http://127.0.0.1",
    boss,
    outbound: TEST_OUTBOUND,
  };
  const [seller] = await t.db.insert(orgs).values({ name: "Seller", kind: "seller" }).returning();
  await t.db.insert(verticals).values([
    { key: "roofing", name: "Roofing" },
    { key: "retired", name: "Retired", active: false },
  ]);
  apiKey = (await createApiKey(t.db, seller!.id, "property")).key;
  // Default rate limits: 10,000 leads from one key must not be throttled.
  app = await buildApp({ services: s, dashboardDir: "/nonexistent" });
}, 60_000);

afterAll(async () => {
  await app?.close();
  await boss?.stop({ graceful: true, wait: true }).catch(() => {});
  await t?.drop();
});

// ---- valid bodies -----------------------------------------------------------------------------

const digits = (n: number) => fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: n, maxLength: n });
const lower = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789"), minLength: min, maxLength: max });

const zip = fc.oneof(
  digits(5),
  fc.tuple(digits(5), digits(4)).map(([a, b]) => `${a}-${b}`),
  fc.tuple(digits(5), digits(4)).map(([a, b]) => a + b),
  digits(5).map((z) => ` ${z} `),
);
const phone = fc
  .tuple(
    fc.integer({ min: 200, max: 999 }),
    digits(3),
    digits(4),
    fc.constantFrom("plain", "dashes", "dots", "parens", "plus1", "1"),
  )
  .map(
    ([a, b, c, f]) =>
      ({
        plain: `${a}${b}${c}`,
        dashes: `${a}-${b}-${c}`,
        dots: `${a}.${b}.${c}`,
        parens: `(${a}) ${b}-${c}`,
        plus1: `+1 ${a} ${b} ${c}`,
        "1": `1${a}${b}${c}`,
      })[f]!,
  );
const email = fc
  .tuple(
    lower(1, 12),
    fc.constantFrom("", ".x", "+tag", "_1"),
    lower(1, 12),
    fc.constantFrom("com", "test", "co.uk", "io"),
  )
  .map(([l, s, d, tld]) => `${l}${s}@${d}.${tld}`);
const customFields = fc.dictionary(
  fc.string({ unit: fc.constantFrom(..."abcXYZ019_.-"), minLength: 1, maxLength: 20 }),
  fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.integer({ min: -1e9, max: 1e9 }),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
  ),
  { maxKeys: 6 },
);

type Body = Record<string, unknown> & { contact: Record<string, unknown> };

const validBody: fc.Arbitrary<Body> = fc
  .record(
    {
      vertical: fc.constantFrom("roofing", "ROOFING", " Roofing "),
      zip,
      state: fc
        .tuple(fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabc"), fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZxyz"))
        .map(([a, b]) => a + b),
      contactKind: fc.constantFrom("both", "email", "phone"),
      firstName: text(100),
      lastName: text(100),
      email,
      phone,
      address: text(300),
      city: text(100),
      consent: fc.record(
        {
          trustedFormCertUrl: lower(3, 20).map((c) => `https://cert.trustedform.com/${c}`),
          jornayaLeadId: fc.string({ unit: fc.constantFrom(..."ABCabc0123-"), minLength: 8, maxLength: 64 }),
        },
        { requiredKeys: [] },
      ),
      customFields,
      externalId: fc.oneof(fc.constantFrom("crm-1", "crm-2", "crm-3"), lower(6, 30)),
      wait: fc.constant(false),
    },
    { requiredKeys: ["vertical", "zip", "contactKind", "firstName", "lastName", "email", "phone"] },
  )
  .map(({ contactKind, firstName, lastName, email: em, phone: ph, address, city, ...rest }) => {
    const contact: Record<string, unknown> = { firstName, lastName };
    if (contactKind !== "phone") contact.email = em;
    if (contactKind !== "email") contact.phone = ph;
    if (address !== undefined) contact.address = address;
    if (city !== undefined) contact.city = city;
    return { ...rest, contact } as Body;
  });

// ---- one thing broken -------------------------------------------------------------------------

type Mutation = (b: Body) => fc.Arbitrary<Case<unknown>>;
const bad = (field: string, why: string, body: unknown): Case<unknown> => ({ label: "invalid", why, field, body });

const mutations: Mutation[] = [
  // Required fields missing.
  (b) => fc.constantFrom("vertical", "zip", "contact").map((k) => bad(k, `missing ${k}`, deletePath(b, [k]))),
  (b) =>
    fc
      .constantFrom("firstName", "lastName")
      .map((k) => bad("contact", `missing contact.${k}`, deletePath(b, ["contact", k]))),
  (b) =>
    fc.constant(
      bad("contact", "neither phone nor email", deletePath(deletePath(b, ["contact", "phone"]), ["contact", "email"])),
    ),
  // Wrong types.
  (b) =>
    fc
      .tuple(fc.constantFrom("vertical", "zip", "state", "externalId"), notAString)
      .map(([k, v]) => bad(k, `${k} = ${JSON.stringify(v)}`, setPath(b, [k], v))),
  (b) =>
    fc
      .tuple(fc.constantFrom("firstName", "lastName", "email", "phone", "address", "city"), notAString)
      .map(([k, v]) => bad("contact", `contact.${k} = ${JSON.stringify(v)}`, setPath(b, ["contact", k], v))),
  (b) =>
    wrongTypes
      .filter((v) => v === null || typeof v !== "object" || Array.isArray(v))
      .map((v) => bad("contact", `contact = ${JSON.stringify(v)}`, setPath(b, ["contact"], v))),
  (b) =>
    wrongTypes
      .filter((v) => v !== undefined && (v === null || typeof v !== "object" || Array.isArray(v)))
      .map((v) => bad("consent", `consent = ${JSON.stringify(v)}`, setPath(b, ["consent"], v))),
  (b) =>
    wrongTypes
      .filter((v) => v === null || typeof v !== "object" || Array.isArray(v))
      .map((v) => bad("customFields", `customFields = ${JSON.stringify(v)}`, setPath(b, ["customFields"], v))),
  (b) =>
    wrongTypes
      .filter((v) => typeof v !== "boolean")
      .map((v) => bad("wait", `wait = ${JSON.stringify(v)}`, setPath(b, ["wait"], v))),
  // Too long.
  (b) =>
    fc
      .tuple(fc.constantFrom(["firstName", 100], ["lastName", 100], ["address", 300], ["city", 100]), fc.nat())
      .chain(([[k, max]]) =>
        tooLong(max as number).map((s) =>
          bad("contact", `contact.${k} too long`, setPath(b, ["contact", k as string], s)),
        ),
      ),
  (b) => tooLong(128).map((s) => bad("externalId", "externalId too long", setPath(b, ["externalId"], s))),
  (b) =>
    tooLong(2000).map((s) => bad("customFields", "custom value too long", setPath(b, ["customFields", "note"], s))),
  (b) =>
    fc
      .integer({ min: 250, max: 2000 })
      .map((n) => bad("contact", "email too long", setPath(b, ["contact", "email"], `${"a".repeat(n)}@example.com`))),
  // Bad formats.
  (b) =>
    fc
      .constantFrom("7520", "752011", "abcde", "75201-12", "７５２０１", "75 201", "", "   ", "-75201", "75201-", "1e5")
      .map((z) => bad("zip", `zip ${JSON.stringify(z)}`, setPath(b, ["zip"], z))),
  (b) =>
    fc
      .constantFrom("123", "555-1234", "+44 20 7946 0958", "(512) 555-12345", "phone", "", "   ", "+1", "0".repeat(30))
      .map((p) => bad("contact", `phone ${JSON.stringify(p)}`, setPath(b, ["contact", "phone"], p))),
  (b) =>
    fc
      .constantFrom(
        "not-an-email",
        "a@b",
        "@x.com",
        "a@b..com",
        "a b@c.com",
        "",
        "a@",
        "a@.com",
        "<script>@x.com",
        "a@b.c",
      )
      .map((e) => bad("contact", `email ${JSON.stringify(e)}`, setPath(b, ["contact", "email"], e))),
  (b) =>
    fc
      .constantFrom("Texas", "T", "12", "T1", "", "ÄÖ")
      .map((s) => bad("state", `state ${JSON.stringify(s)}`, setPath(b, ["state"], s))),
  (b) =>
    fc
      .constantFrom("underwater-basket-weaving", "retired", "", "   ", "roofing!")
      .map((v) => bad("vertical", `vertical ${JSON.stringify(v)}`, setPath(b, ["vertical"], v))),
  (b) =>
    fc
      .constantFrom("http://insecure.example/x", "not a url", "javascript:alert(1)", "", "ftp://x.test/a")
      .map((u) => bad("consent", `consent url ${JSON.stringify(u)}`, setPath(b, ["consent", "trustedFormCertUrl"], u))),
  (b) =>
    fc
      .constantFrom("short", "has space in it", "x".repeat(65), "héllo-wörld")
      .map((u) => bad("consent", `jornaya ${JSON.stringify(u)}`, setPath(b, ["consent", "jornayaLeadId"], u))),
  (b) =>
    fc
      .constantFrom("   ", "\t\n")
      .map((s) => bad("contact", "blank first name", setPath(b, ["contact", "firstName"], s))),
  (b) =>
    fc
      .constantFrom("bad key!", "x".repeat(65), "ключ", "a/b")
      .map((k) => bad("customFields", `custom key ${JSON.stringify(k)}`, setPath(b, ["customFields", k], 1))),
  (b) =>
    fc
      .constantFrom({ nested: { a: 1 } }, { list: [1, 2] })
      .map((v) => bad("customFields", "custom value not a scalar", { ...b, customFields: v })),
  (b) =>
    fc.constant(
      bad("customFields", "51 custom fields", {
        ...b,
        customFields: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`f${i}`, i])),
      }),
    ),
  // Extra fields (the schema is strict at every level).
  (b) =>
    fc
      .tuple(fc.constantFrom("price", "sellerOrgId", "status", "__typename", "id"), wrongTypes)
      .map(([k, v]) => bad("(body)", `extra field ${k}`, { ...b, [k]: v })),
  (b) =>
    fc
      .constantFrom("ssn", "middleName")
      .map((k) => bad("contact", `extra contact.${k}`, setPath(b, ["contact", k], "x"))),
];

/** Changes that keep a body valid: optional fields dropped, key order shuffled. */
const neutral = (b: Body) =>
  fc
    .record({ drop: fc.subarray(["state", "consent", "customFields", "externalId", "wait"]), shuffle: fc.boolean() })
    .map(({ drop, shuffle }) => {
      let out: Record<string, unknown> = b;
      for (const k of drop) out = deletePath(out, [k]) as Record<string, unknown>;
      if (shuffle) out = Object.fromEntries(Object.entries(out).reverse());
      return out as Body;
    });

interface IntakeCase extends Case<unknown> {
  raw?: string;
  contentType?: string;
  query?: string;
}

const intakeCase: fc.Arbitrary<IntakeCase> = validBody.chain((b0) =>
  neutral(b0).chain((b) =>
    fc.oneof(
      { weight: 25, arbitrary: fc.constant(valid<unknown>(b)) },
      { weight: 55, arbitrary: fc.constantFrom(...mutations).chain((m) => m(b)) },
      // Unicode that may not survive the database: taken or refused, never a 500 or half a row.
      {
        weight: 6,
        arbitrary: fc
          .tuple(fc.constantFrom("firstName", "lastName", "city", "address"), hostileText)
          .map(([k, s]): IntakeCase => ({
            label: "either",
            why: `contact.${k} = ${JSON.stringify(s)}`,
            body: setPath(b, ["contact", k], s),
          })),
      },
      {
        weight: 3,
        arbitrary: hostileText.map((s): IntakeCase => ({
          label: "either",
          why: `custom value ${JSON.stringify(s)}`,
          body: setPath(b, ["customFields", "note"], s),
        })),
      },
      {
        weight: 5,
        arbitrary: junkBodies.map(({ raw, why }): IntakeCase => ({ label: "invalid", why, body: null, raw })),
      },
      {
        weight: 3,
        arbitrary: brokenJson(JSON.stringify(b)).map(({ raw, why }): IntakeCase => ({
          label: "invalid",
          why,
          body: null,
          raw,
        })),
      },
      {
        weight: 1,
        arbitrary: fc
          .constantFrom("text/plain", "application/xml", "multipart/form-data; boundary=x")
          .map((ct): IntakeCase => ({
            label: "invalid",
            why: `content-type ${ct}`,
            body: null,
            raw: JSON.stringify(b),
            contentType: ct,
          })),
      },
      {
        weight: 1,
        arbitrary: fc
          .constantFrom("wait=maybe", "wait=2", "wait=", "wait=1&wait=0")
          .map((q): IntakeCase => ({ label: "invalid", why: `query ${q}`, field: "wait", body: b, query: q })),
      },
      {
        weight: 1,
        arbitrary: fc.constant<IntakeCase>({
          label: "invalid",
          why: "form-encoded body",
          body: null,
          raw: "vertical=roofing&zip=75201",
          contentType: "application/x-www-form-urlencoded",
        }),
      },
    ),
  ),
);

/** Both counts in one round trip, after every case. */
const tally = async () => {
  const [r] = await t.db
    .select({
      leads: sql<number>`(select count(*)::int from ${leads})`,
      events: sql<number>`(select count(*)::int from ${leadEvents})`,
    })
    .from(sql`(select 1) as one`);
  return { leads: r!.leads, events: r!.events };
};

describe("POST /api/v1/leads under generated input", () => {
  it(`answers ${RUNS} near-valid and broken bodies with 2xx or a clear 4xx, never a 5xx or a partial row`, async () => {
    const seenExternal = new Set<string>();
    const stats = { valid: 0, invalid: 0, either: 0, taken: 0, refused: 0, statuses: {} as Record<number, number> };
    let before = await tally();
    const started = performance.now();
    await check(intakeCase, async (c) => {
      const r = await app.inject({
        method: "POST",
        url: `/api/v1/leads${c.query ? `?${c.query}` : ""}`,
        headers: { authorization: `Bearer ${apiKey}`, "content-type": c.contentType ?? "application/json" },
        payload: c.raw ?? JSON.stringify(c.body),
      });
      stats[c.label]++;
      stats.statuses[r.statusCode] = (stats.statuses[r.statusCode] ?? 0) + 1;
      const after = await tally();
      const label = `${c.why}: ${r.statusCode} ${r.body.slice(0, 300)}`;
      expect(r.statusCode, label).toBeLessThan(500);
      if (r.statusCode < 300) {
        stats.taken++;
        const ext = (c.body as { externalId?: string }).externalId?.trim();
        const resubmit = ext !== undefined && seenExternal.has(ext);
        if (ext !== undefined) seenExternal.add(ext);
        expect(r.statusCode, label).toBe(resubmit ? 200 : 201);
        expect(after, label).toEqual(resubmit ? before : { leads: before.leads + 1, events: before.events + 1 });
      } else {
        stats.refused++;
        expect(restRefusalProblems(r, c.label === "invalid" ? c.field : undefined), label).toEqual([]);
        expect(after, `rows changed on a refusal: ${label}`).toEqual(before);
      }
      if (c.label === "valid") expect(r.statusCode, label).toBeLessThan(300);
      if (c.label === "invalid") expect(r.statusCode, label).toBeGreaterThanOrEqual(400);
      before = after;
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    silentLogStats(`intake: ${RUNS} cases in ${seconds} s`, stats);
    // The generator must exercise both sides, or the test could not tell them apart.
    expect(stats.valid).toBeGreaterThan(RUNS * 0.15);
    expect(stats.invalid).toBeGreaterThan(RUNS * 0.5);
    expect(stats.taken).toBeGreaterThan(RUNS * 0.15);
  }, 600_000);
});

function silentLogStats(title: string, stats: unknown) {
  process.stderr.write(`${title} ${JSON.stringify(stats)}\n`);
}
