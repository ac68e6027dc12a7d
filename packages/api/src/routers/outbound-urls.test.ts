// Save time: a URL leads would be sent to is checked by the outbound guard through the real tRPC
// router, under production's policy (nothing private allowed). A contractor's webhook URL, an
// admin's ping/post URLs and an imported file's URLs that point at a private address are field
// errors, and nothing is saved.
import { buyers, verticals, type Db } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { TRPCError } from "@trpc/server";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "../auth/sessions";
import { outboundPolicy, type Resolver } from "../outbound/guard";
import { callerAs, makeOrgUser, testResolve, testServices } from "../testing";

let t: TestDb;
let db: Db;
let admin: SessionUser, con: SessionUser, net: SessionUser;
beforeAll(async () => {
  t = await createTestDb();
  db = t.db;
  await db.insert(verticals).values([{ key: "roofing", name: "Roofing", floorCents: 1500 }]);
  [admin, con, net] = await Promise.all([
    makeOrgUser(db, "admin"),
    makeOrgUser(db, "contractor", "Outbound Roofing"),
    makeOrgUser(db, "network", "Outbound Network"),
  ]);
});
afterAll(() => t?.drop());

/** crm.public.test answers a public address; other *.test names 127.0.0.1; *.invalid nothing. */
const resolve: Resolver = async (h) =>
  h === "crm.public.test" ? [{ address: "93.184.215.14", family: 4 }] : testResolve(h);
/** Production's policy (OUTBOUND_ALLOW empty), with names the test can resolve without DNS. */
const production = () => ({ ...testServices(db), outbound: outboundPolicy("", resolve) });
const as = (u: SessionUser) => callerAs(production(), u);

const settings = {
  timeZone: "America/Chicago",
  hours: null,
  capDaily: null,
  capWeekly: null,
  capMonthly: null,
  duplicateLookbackDays: 0,
  serviceZips: [{ zip: "38103", priority: 1 }],
  deliveryMode: "EXCLUSIVE" as const,
  maxSharedLeads: 1,
  pricingModel: "AUCTION" as const,
  fixedLeadPriceCents: null,
  maxBidCents: 4000,
  sharedPriceCents: null,
  deliveryMethods: ["WEBHOOK" as const],
  notificationEmail: null,
  webhookUrl: "https://crm.public.test/hook",
};
const network = (over: Record<string, unknown> = {}) => ({
  type: "NETWORK" as const,
  name: "Outbound net",
  active: true,
  verticals: ["roofing"],
  compliance: [],
  timeZone: "America/Chicago",
  hours: null,
  capDaily: null,
  capWeekly: null,
  capMonthly: null,
  duplicateLookbackDays: 0,
  serviceZips: [{ zip: "38103", priority: 1 }],
  pingUrl: "https://crm.public.test/ping",
  postUrl: "https://crm.public.test/post",
  pingTimeoutMs: 1000,
  minBidCents: 0,
  responseMapping: null,
  ...over,
});

async function fieldErrors(p: Promise<unknown>): Promise<Record<string, string[]>> {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof TRPCError)) throw e;
    expect(e.code).toBe("BAD_REQUEST");
    return (e.cause as { fieldErrors?: Record<string, string[]> } | undefined)?.fieldErrors ?? {};
  }
  throw new Error("expected the save to be refused");
}

describe("a contractor's webhook URL", () => {
  let id: string;
  beforeAll(async () => {
    id = (
      await as(admin).buyers.create({
        orgId: con.orgId,
        buyer: {
          type: "CONTRACTOR",
          name: "Outbound Roofing",
          active: true,
          verticals: ["roofing"],
          compliance: [],
          ...settings,
        },
      })
    ).buyer.id;
  });
  const stored = async () =>
    (await db.select({ url: buyers.webhookUrl }).from(buyers).where(eq(buyers.id, id)))[0]!.url;

  it.each([
    ["http://127.0.0.1:5432/", /points at 127\.0\.0\.1, a private address \(loopback\)/],
    ["http://169.254.169.254/latest/meta-data/", /169\.254\.169\.254, a private address \(link-local\)/],
    ["http://[::1]/hook", /points at ::1, a private address \(loopback\)/],
    ["http://localhost:8080/hook", /"localhost", a name for this machine/],
    ["http://2130706433/hook", /points at 127\.0\.0\.1/],
    ["http://0177.0.0.1/hook", /points at 127\.0\.0\.1/],
    ["http://0x7f.1/hook", /points at 127\.0\.0\.1/],
    ["http://0.0.0.0/hook", /0\.0\.0\.0, a private address \(unspecified\)/],
    ["http://10.0.0.1/hook", /10\.0\.0\.1, a private address \(private network\)/],
    ["http://metadata.google.internal/computeMetadata/v1/", /"metadata\.google\.internal", a name for this machine/],
    ["https://crm.rebind.test/hook", /"crm\.rebind\.test" resolves to 127\.0\.0\.1, a private address/],
    ["https://crm.nowhere.invalid/hook", /"crm\.nowhere\.invalid" does not resolve/],
  ])("refuses %s on the webhookUrl field and saves nothing", async (url, message) => {
    const fields = await fieldErrors(
      as(con).buyers.updateSettings({ id, ...settings, webhookUrl: url, maxBidCents: 4100 }),
    );
    expect(Object.keys(fields)).toEqual(["webhookUrl"]);
    expect(fields.webhookUrl![0]).toMatch(/^The webhook URL/);
    expect(fields.webhookUrl![0]).toMatch(message);
    expect(await stored()).toBe("https://crm.public.test/hook");
    const [row] = await db.select({ maxBid: buyers.maxBidCents }).from(buyers).where(eq(buyers.id, id));
    expect(row!.maxBid).toBe(4000);
  });

  it("accepts a public one", async () => {
    const r = await as(con).buyers.updateSettings({ id, ...settings, webhookUrl: "http://93.184.215.14/hook2" });
    expect(r.buyer).toMatchObject({ webhookUrl: "http://93.184.215.14/hook2" });
    expect(await stored()).toBe("http://93.184.215.14/hook2");
  });

  it("accepts loopback when the allow-list lets it through (the tests' and the demo's policy)", async () => {
    const caller = callerAs(testServices(db), con);
    await caller.buyers.updateSettings({ id, ...settings, webhookUrl: "http://127.0.0.1:4100/contractors/x/webhook" });
    expect(await stored()).toBe("http://127.0.0.1:4100/contractors/x/webhook");
  });
});

describe("an admin's ping and post URLs", () => {
  it("refuses private ones on their fields when a network buyer is created; nothing is created", async () => {
    const before = (await db.select().from(buyers).where(eq(buyers.orgId, net.orgId))).length;
    const fields = await fieldErrors(
      as(admin).buyers.create({
        orgId: net.orgId,
        buyer: network({ pingUrl: "http://10.0.0.1/ping", postUrl: "http://[fd00::5]/post" }),
      }),
    );
    expect(fields.pingUrl![0]).toMatch(/^The ping URL points at 10\.0\.0\.1, a private address/);
    expect(fields.postUrl![0]).toMatch(/^The post URL points at fd00::5, a private address \(unique local/);
    expect((await db.select().from(buyers).where(eq(buyers.orgId, net.orgId))).length).toBe(before);
  });

  it("refuses them on update too, leaving the buyer as it was", async () => {
    const { buyer } = await as(admin).buyers.create({ orgId: net.orgId, buyer: network({ name: "Outbound net 2" }) });
    const fields = await fieldErrors(
      as(admin).buyers.update({
        id: buyer.id,
        buyer: network({ name: "Outbound net 2", postUrl: "http://169.254.169.254/post" }),
      }),
    );
    expect(Object.keys(fields)).toEqual(["postUrl"]);
    const [row] = await db.select({ postUrl: buyers.postUrl }).from(buyers).where(eq(buyers.id, buyer.id));
    expect(row!.postUrl).toBe("https://crm.public.test/post");
  });
});

describe("the buyer import", () => {
  it("refuses a file with a private URL, naming the line and field; nothing is written", async () => {
    const file = {
      format: "leadflow.buyers",
      version: 1,
      verticals: [],
      buyers: [
        {
          key: "outbound/imported",
          org: "Outbound Network",
          ...network({ name: "Imported", pingUrl: "http://[::ffff:127.0.0.1]:4100/ping" }),
        },
      ],
    };
    const text = JSON.stringify(file, null, 2);
    const line = text.split("\n").findIndex((l) => l.includes('"pingUrl"')) + 1;
    const fields = await fieldErrors(as(admin).buyers.import({ text }));
    expect(fields.file).toEqual([
      `line ${line}, buyers[0].pingUrl: The ping URL points at 127.0.0.1, a private address (loopback); leads are only sent to public addresses (OUTBOUND_ALLOW lets a private network through).`,
    ]);
    expect(await db.select().from(buyers).where(eq(buyers.key, "outbound/imported"))).toEqual([]);
  });
});
