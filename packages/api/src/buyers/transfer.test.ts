import { buyerZips, buyers, orgs, verticals, type Db } from "@leadflow/db";
import { eq } from "drizzle-orm";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { ManualClock } from "@leadflow/engine";
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseJsonWithLines } from "./json-lines";
import { TEST_OUTBOUND } from "../testing";
import { exportBuyers, importBuyers, ImportRefused } from "./transfer";

let t: TestDb;
let db: Db;
const clock = new ManualClock("2026-03-02T15:00:00Z");
beforeAll(async () => {
  t = await createTestDb();
  db = t.db;
  await db.insert(orgs).values([
    { name: "HomeQuote Network", kind: "network" },
    { name: "Bluff City Roofing", kind: "contractor" },
  ]);
});
afterAll(() => t?.drop());

const file = {
  format: "leadflow.buyers",
  version: 1,
  verticals: [{ key: "roofing", name: "Roofing", floorCents: 1500, active: true }],
  buyers: [
    {
      key: "homequote/apex",
      org: "HomeQuote Network",
      type: "NETWORK",
      name: "Apex",
      active: true,
      verticals: ["roofing"],
      compliance: ["TRUSTED_FORM"],
      // The compliance screens travel with the setup (docs/compliance.md).
      requireClaimedConsent: true,
      refuseInvalidPhone: true,
      refuseDisposableEmail: false,
      timeZone: "America/Chicago",
      hours: null,
      capDaily: 40,
      capWeekly: null,
      capMonthly: null,
      duplicateLookbackDays: 30,
      returnWindowDays: 5,
      returnCapPercent: 10,
      serviceZips: [{ zip: "38103", priority: 1, maxBidCents: null }],
      pingUrl: "http://127.0.0.1:4100/networks/apex/ping",
      postUrl: "http://127.0.0.1:4100/networks/apex/post",
      pingTimeoutMs: 900,
      minBidCents: 1500,
      responseMapping: {
        bidPath: "result.price_cents",
        bidUnit: "cents",
        acceptedPath: "status",
        reasonPath: "message",
      },
      requestTemplate: null,
      billing: {
        mode: "PREPAID",
        creditLimitCents: null,
        lowBalanceThresholdCents: 5000,
        budgetDailyCents: 20000,
        budgetMonthlyCents: null,
      },
    },
    {
      key: "bluff/roofing",
      org: "Bluff City Roofing",
      type: "CONTRACTOR",
      name: "Bluff City Roofing",
      active: true,
      verticals: ["roofing"],
      compliance: [],
      requireClaimedConsent: false,
      refuseInvalidPhone: false,
      refuseDisposableEmail: true,
      timeZone: "America/Chicago",
      hours: { mon: [["07:00", "19:00"]] },
      capDaily: 10,
      capWeekly: 50,
      capMonthly: null,
      duplicateLookbackDays: 30,
      returnWindowDays: 7,
      returnCapPercent: 15,
      serviceZips: [
        { zip: "38103", priority: 1, maxBidCents: 5000 },
        { zip: "38104", priority: 2, maxBidCents: null },
      ],
      deliveryMode: "SHARED",
      maxSharedLeads: 2,
      pricingModel: "HYBRID",
      fixedLeadPriceCents: null,
      maxBidCents: 4500,
      sharedPriceCents: 2500,
      deliveryMethods: ["EMAIL", "DASHBOARD"],
      notificationEmail: "owner@bluff.test",
      webhookUrl: null,
      billing: {
        mode: "CREDIT_LIMIT",
        creditLimitCents: 100000,
        lowBalanceThresholdCents: null,
        budgetDailyCents: null,
        budgetMonthlyCents: 500000,
      },
    },
  ],
};

async function snapshot() {
  return {
    v: await db.select().from(verticals).orderBy(verticals.key),
    b: await db.select().from(buyers).orderBy(buyers.key),
    z: await db.select().from(buyerZips).orderBy(buyerZips.buyerId, buyerZips.zip),
  };
}

async function refusal(text: string): Promise<string[]> {
  try {
    await importBuyers(db, clock, text, TEST_OUTBOUND);
  } catch (e) {
    if (e instanceof ImportRefused) return e.problems.map((p) => `line ${p.line}, ${p.path}: ${p.message}`);
    throw e;
  }
  throw new Error("expected the import to be refused");
}

describe("buyer export/import", () => {
  it("imports, exports the same setup, and re-imports it as updates (upsert by key)", async () => {
    expect(await importBuyers(db, clock, JSON.stringify(file, null, 2), TEST_OUTBOUND)).toEqual({
      verticals: 1,
      created: 2,
      updated: 0,
    });
    const out = await exportBuyers(db, clock);
    expect(out.note).toMatch(/Secrets are never exported/);
    expect(out.buyers).toEqual(file.buyers.slice().sort((a, b) => a.key.localeCompare(b.key)));
    const before = await snapshot();
    expect(await importBuyers(db, clock, JSON.stringify(out), TEST_OUTBOUND)).toEqual({
      verticals: 1,
      created: 0,
      updated: 2,
    });
    const after = await snapshot();
    expect(after.b.map((b) => b.id)).toEqual(before.b.map((b) => b.id));
    expect(after.z).toEqual(before.z);
  });

  it("carries billing; a bad one refuses the file, and a file without one keeps what is there", async () => {
    const bad = structuredClone(file);
    (bad.buyers[1] as { billing: unknown }).billing = { mode: "CREDIT_LIMIT", creditLimitCents: null };
    (bad.buyers[0] as { billing: unknown }).billing = { mode: "PREPAID", budgetDailyCents: -1 };
    const problems = (await refusal(JSON.stringify(bad, null, 2))).join("\n");
    expect(problems).toMatch(/buyers\[0\]\.billing\.budgetDailyCents: can't be negative/);
    expect(problems).toMatch(/buyers\[1\]\.billing\.creditLimitCents: a CREDIT_LIMIT buyer needs creditLimitCents/);
    const without = structuredClone(file) as { buyers: Record<string, unknown>[] };
    for (const b of without.buyers) delete b.billing;
    await importBuyers(db, clock, JSON.stringify(without), TEST_OUTBOUND);
    const [apex] = await db.select().from(buyers).where(eq(buyers.key, "homequote/apex"));
    expect(apex).toMatchObject({ billingMode: "PREPAID", lowBalanceThresholdCents: 5000, budgetDailyCents: 20000 });
  });

  it("never exports a webhook secret", async () => {
    await db.update(buyers).set({ webhookSecret: "whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQ=" });
    expect(JSON.stringify(await exportBuyers(db, clock))).not.toContain("whsec_");
  });

  it("refuses a bad file whole, naming the line and the field, and writes nothing", async () => {
    const bad = structuredClone(file) as { buyers: Record<string, unknown>[] };
    bad.buyers[1]!.serviceZips = [{ zip: "3810", priority: 1 }];
    bad.buyers[1]!.sharedPriceCents = 9000;
    bad.buyers[0]!.org = "Nobody Network";
    bad.buyers.push({ ...bad.buyers[0]!, key: "new/one", name: "Brand new", org: "HomeQuote Network" });
    const text = JSON.stringify(bad, null, 2);
    const before = await snapshot();
    const errs = await refusal(text);
    const zipLine = text.split("\n").findIndex((l) => l.includes('"3810"')) + 1;
    expect(errs).toContain(`line ${zipLine}, buyers[1].serviceZips[0].zip: must be 5 digits`);
    expect(errs.some((e) => /buyers\[1\]\.sharedPriceCents: The shared price must be lower/.test(e))).toBe(true);
    expect(errs.some((e) => /buyers\[0\]\.org: no network organisation named "Nobody Network"/.test(e))).toBe(true);
    expect(await snapshot()).toEqual(before);
  });

  it("reports JSON syntax errors with their line and column", async () => {
    const errs = await refusal(
      '{\n  "format": "leadflow.buyers",\n  "version": 1,\n  "buyers": [\n    { "key": "x", }\n  ]\n}',
    );
    expect(errs[0]).toMatch(/^line 5, column \d+: not valid JSON/);
    expect((await refusal('{"format":"leadflow.buyers","version":2,"verticals":[],"buyers":[]}'))[0]).toBe(
      "line 1, version: must be 1",
    );
  });

  it("reports a missing field on the line of its object", async () => {
    const bad = structuredClone(file) as { buyers: Record<string, unknown>[] };
    delete bad.buyers[0]!.pingUrl;
    const text = JSON.stringify(bad, null, 2);
    const objLine = text.split("\n").findIndex((l) => l.includes('"key": "homequote/apex"')) - 1 + 1;
    expect((await refusal(text)).find((e) => e.includes("pingUrl"))).toBe(
      `line ${objLine}, buyers[0].pingUrl: The ping URL is required.`,
    );
  });
});

describe("request templates in the file", () => {
  const SECRET = "tok-Zq9!secret";
  const template = {
    ping: {
      format: "XML",
      root: "Ping",
      fields: [
        { name: "Zip", source: "zip" },
        { name: "State", source: "state", map: { TX: "Texas" } },
        { name: "Vendor", value: "LF-1" },
      ],
    },
    post: { format: "FORM", fields: [{ name: "first", source: "contact.firstName", default: "n/a" }] },
    auth: { kind: "HEADER", header: "X-Api-Key" },
  };
  const withTemplate = (key: string, secret: string | undefined) => {
    const f = structuredClone(file) as { buyers: Record<string, unknown>[] };
    f.buyers = [{ ...f.buyers[0]!, key, requestTemplate: template, requestAuthSecret: secret }];
    return f;
  };
  const secretOf = async (key: string) =>
    (await db.select().from(buyers)).find((b) => b.key === key)?.requestAuthSecret ?? null;

  it("round-trips a template; the secret leaves as [redacted] and an import of that keeps it", async () => {
    await importBuyers(db, clock, JSON.stringify(withTemplate("tpl/net", SECRET)), TEST_OUTBOUND);
    expect(await secretOf("tpl/net")).toBe(SECRET);
    const out = await exportBuyers(db, clock);
    const text = JSON.stringify(out);
    expect(text).not.toContain(SECRET);
    const entry = out.buyers.find((b) => b.key === "tpl/net") as Record<string, unknown>;
    expect(entry.requestTemplate).toEqual(template);
    expect(entry.requestAuthSecret).toBe("[redacted]");
    expect(await importBuyers(db, clock, text, TEST_OUTBOUND)).toMatchObject({ created: 0 });
    expect(await secretOf("tpl/net")).toBe(SECRET);
  });

  it("refuses a new buyer whose auth secret is redacted, and a template naming an unknown lead field", async () => {
    const before = await snapshot();
    const errs = await refusal(JSON.stringify(withTemplate("tpl/new", "[redacted]"), null, 2));
    expect(errs.some((e) => /buyers\[0\]\.requestAuthSecret: HEADER auth needs its secret/.test(e))).toBe(true);
    const bad = withTemplate("tpl/net", undefined);
    (bad.buyers[0]!.requestTemplate as typeof template).post.fields[0]!.source = "contact.shoeSize";
    const errs2 = await refusal(JSON.stringify(bad, null, 2));
    expect(
      errs2.some((e) =>
        /buyers\[0\]\.requestTemplate\.post\.fields\[0\]\.source: "contact\.shoeSize" is not a lead field/.test(e),
      ),
    ).toBe(true);
    expect(await snapshot()).toEqual(before);
  });
});

describe("docs/buyer-import.md", () => {
  it("has an example that imports", async () => {
    const md = await readFile(new URL("../../../../docs/buyer-import.md", import.meta.url), "utf8");
    const example = /```json\n([\s\S]*?)```/.exec(md)![1]!;
    const r = await importBuyers(db, clock, example, TEST_OUTBOUND);
    expect(r.created + r.updated).toBe(2);
  });
});

describe("parseJsonWithLines", () => {
  it("agrees with JSON.parse and refuses duplicate keys", () => {
    const text = '{"a":[1,2.5e3,"x\\n\\u00e9"],"b":{"c":null,"d":true}}';
    const r = parseJsonWithLines(text);
    expect(r.ok && r.value).toEqual(JSON.parse(text));
    expect(parseJsonWithLines('{"a":1,"a":2}').ok).toBe(false);
    expect(parseJsonWithLines("[1,]").ok).toBe(false);
  });
});
