// A network buyer's self-service on real PostgreSQL with a real HTTP buyer on loopback: it edits
// its own terms and template (audited), the admin's locks hold on the server, internal URLs are
// refused, and a test ping/post goes through the auction's own builder and parser.
import { auditLog, verticals, type Db } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { ManualClock } from "@leadflow/engine";
import { TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "../auth/sessions";
import { callerAs, makeOrgUser, testServices } from "../testing";
import { TEST_REQUESTS_PER_MINUTE } from "./self-service";

let t: TestDb;
let db: Db;
let admin: SessionUser, net: SessionUser, otherNet: SessionUser;
let server: Server;
let base = "";
const seen: { url: string; headers: IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  t = await createTestDb();
  db = t.db;
  await db.insert(verticals).values([{ key: "roofing", name: "Roofing", floorCents: 500 }]);
  [admin, net, otherNet] = await Promise.all([
    makeOrgUser(db, "admin"),
    makeOrgUser(db, "network"),
    makeOrgUser(db, "network"),
  ]);
  // The buyer: bids $12.50 on a ping, accepts a post, and says what it got.
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      seen.push({ url: req.url ?? "", headers: req.headers, body });
      res.setHeader("x-buyer", "test-buyer");
      res.setHeader("content-type", "application/json");
      res.end(
        req.url === "/ping" ? JSON.stringify({ bid: 12.5, reason: "nice zip" }) : JSON.stringify({ accepted: true }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server?.close(r));
  await t?.drop();
});

let clock = new ManualClock("2026-03-02T15:00:00Z");
const as = (u: SessionUser) => callerAs({ ...testServices(db, clock) }, u);

const terms = (over: Record<string, unknown> = {}) => ({
  pingUrl: `${base}/ping`,
  postUrl: `${base}/post`,
  pingTimeoutMs: 2000,
  minBidCents: 1000,
  capDaily: null,
  capWeekly: null,
  capMonthly: null,
  timeZone: "America/Chicago",
  hours: null,
  serviceZips: [{ zip: "75001", priority: 1 }],
  compliance: [] as ("TRUSTED_FORM" | "JORNAYA")[],
  responseMapping: null,
  ...over,
});

async function newNetwork(owner: SessionUser, name: string): Promise<string> {
  const r = await as(admin).buyers.create({
    orgId: owner.orgId,
    buyer: { type: "NETWORK", name, active: true, verticals: ["roofing"], duplicateLookbackDays: 30, ...terms() },
  });
  return r.buyer.id;
}

async function failure(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof TRPCError)) throw e;
    return {
      code: e.code,
      message: e.message,
      fields: (e.cause as { fieldErrors?: Record<string, string[]> }).fieldErrors ?? {},
    };
  }
  throw new Error("expected a failure");
}

describe("network self-service terms", () => {
  it("the buyer changes its own minimum bid and caps; the change is in the audit log under its name", async () => {
    const id = await newNetwork(net, "Self Net A");
    const r = await as(net).buyers.updateMyTerms({ id, terms: terms({ minBidCents: 1750, capDaily: 40 }) });
    expect(r.changed.sort()).toEqual(["capDaily", "minBidCents"]);
    const view = await as(net).buyers.get({ id });
    expect(view.minBidCents).toBe(1750);
    expect(view.capDaily).toBe(40);
    const [entry] = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, id), eq(auditLog.action, "buyers.updateMyTerms")));
    expect(entry!.actorUserId).toBe(net.id);
    expect(entry!.changed).toEqual(["capDaily", "minBidCents"]);
    expect(entry!.before!.minBidCents).toBe(1000);
    expect(entry!.after!.minBidCents).toBe(1750);
  });

  it("another organisation's buyer is not found, and a contractor cannot call it", async () => {
    const id = await newNetwork(net, "Self Net B");
    expect((await failure(as(otherNet).buyers.updateMyTerms({ id, terms: terms() }))).code).toBe("NOT_FOUND");
  });

  it("a field the admin locked is refused on the server with a clear error; others still save", async () => {
    const id = await newNetwork(net, "Self Net C");
    await as(admin).buyers.setLockedFields({ id, fields: ["minBidCents", "requestTemplate"] });
    const f = await failure(as(net).buyers.updateMyTerms({ id, terms: terms({ minBidCents: 1 }) }));
    expect(f.code).toBe("FORBIDDEN");
    expect(f.message).toContain("minBidCents");
    expect(f.fields.minBidCents?.[0]).toContain("locked");
    expect((await as(net).buyers.get({ id })).minBidCents).toBe(1000);
    // Unchanged locked fields do not block the rest.
    await as(net).buyers.updateMyTerms({ id, terms: terms({ pingTimeoutMs: 3000 }) });
    expect((await as(net).buyers.get({ id })).pingTimeoutMs).toBe(3000);
    const t2 = await failure(
      as(net).buyers.setMyRequestTemplate({
        id,
        requestTemplate: { ping: { format: "FORM", fields: [{ name: "z", source: "zip" }] }, post: null, auth: null },
      }),
    );
    expect(t2.code).toBe("FORBIDDEN");
    // The admin keeps full power over a locked field.
    await as(admin).buyers.update({
      id,
      buyer: {
        type: "NETWORK",
        name: "Self Net C",
        active: true,
        verticals: ["roofing"],
        duplicateLookbackDays: 30,
        ...terms({ minBidCents: 2222 }),
      },
    });
    expect((await as(net).buyers.get({ id })).minBidCents).toBe(2222);
  });

  it("hours past midnight are refused beside their day unless ticked, when the page says which days run overnight", async () => {
    const id = await newNetwork(net, "Self Net Overnight");
    const hours = { mon: [["18:00", "09:00"]] as [string, string][] };
    const f = await failure(as(net).buyers.updateMyTerms({ id, terms: { ...terms(), hours, overnightDays: [] } }));
    expect(f.code).toBe("BAD_REQUEST");
    expect(f.fields["hours.mon.0.1"]?.[0]).toContain("ends the next morning");
    expect((await as(net).buyers.get({ id })).hours).toBeNull();
    await as(net).buyers.updateMyTerms({ id, terms: { ...terms(), hours, overnightDays: ["mon"] } });
    expect((await as(net).buyers.get({ id })).hours?.mon).toEqual([["18:00", "09:00"]]);
  });

  it("internal URLs are refused by the outbound guard", async () => {
    const id = await newNetwork(net, "Self Net D");
    const strict = callerAs({ ...testServices(db, clock), outbound: undefined }, net);
    const f = await failure(
      strict.buyers.updateMyTerms({ id, terms: terms({ pingUrl: "http://169.254.169.254/latest" }) }),
    );
    expect(f.code).toBe("BAD_REQUEST");
    expect(Object.keys(f.fields).join(" ")).toContain("pingUrl");
  });
});

describe("test ping and post", () => {
  it("sends the buyer's own template with its auth, shows the request masked, the raw answer and the bid", async () => {
    clock = new ManualClock("2026-03-02T16:00:00Z");
    const id = await newNetwork(net, "Self Net E");
    await as(net).buyers.setMyRequestTemplate({
      id,
      requestTemplate: {
        ping: {
          format: "XML",
          root: "lead",
          fields: [
            { name: "zip", source: "zip" },
            { name: "campaign", value: "c&<1>" },
            { name: "state", source: "state", map: { TX: "Texas" } },
          ],
        },
        post: null,
        auth: { kind: "BEARER" },
      },
      requestAuthSecret: "sk_live_self_service_secret",
    });
    seen.length = 0;
    const r = await as(net).buyers.sendTest({ id, kind: "ping" });
    expect(seen).toHaveLength(1);
    // The buyer got the real secret and the template's XML.
    expect(seen[0]!.headers.authorization).toBe("Bearer sk_live_self_service_secret");
    expect(seen[0]!.headers["content-type"]).toContain("xml");
    expect(seen[0]!.body).toContain("<state>Texas</state>");
    // The person sees exactly that, with the secret masked.
    expect(r.sent.url).toBe(`${base}/ping`);
    expect(r.sent.method).toBe("POST");
    expect(r.sent.body).toBe(seen[0]!.body);
    expect(r.sent.headers.authorization).toBe("Bearer [redacted]");
    expect(JSON.stringify(r)).not.toContain("sk_live_self_service_secret");
    expect(r.answer!.status).toBe(200);
    expect(r.answer!.headers["x-buyer"]).toBe("test-buyer");
    expect(r.answer!.body).toContain("12.5");
    expect(r.understood).toMatchObject({ outcome: "BID", bidCents: 1250, reason: "nice zip" });

    const post = await as(net).buyers.sendTest({ id, kind: "post" });
    expect(post.understood).toMatchObject({ outcome: "ACCEPTED", accepted: true });
    const logged = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, id), eq(auditLog.action, "buyers.sendTest")));
    expect(logged).toHaveLength(2);
    expect(JSON.stringify(logged)).not.toContain("sk_live_self_service_secret");
  });

  it("is rate-limited per organisation", async () => {
    clock = new ManualClock("2026-03-02T17:00:00Z");
    const id = await newNetwork(otherNet, "Self Net F");
    for (let i = 0; i < TEST_REQUESTS_PER_MINUTE; i++) await as(otherNet).buyers.sendTest({ id, kind: "ping" });
    expect((await failure(as(otherNet).buyers.sendTest({ id, kind: "ping" }))).code).toBe("TOO_MANY_REQUESTS");
    clock = new ManualClock("2026-03-02T17:01:01Z");
    await as(otherNet).buyers.sendTest({ id, kind: "ping" });
  });

  it("holds under a race: 12 concurrent test requests of one organisation, exactly the limit pass", async () => {
    clock = new ManualClock("2026-03-02T19:00:00Z");
    const id = await newNetwork(otherNet, "Self Net H");
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, () => as(otherNet).buyers.sendTest({ id, kind: "ping" })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(TEST_REQUESTS_PER_MINUTE);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(refused.every((r) => (r.reason as TRPCError).code === "TOO_MANY_REQUESTS")).toBe(true);
  });

  it("an internal address is refused by the guard and reported as an error, not reached", async () => {
    clock = new ManualClock("2026-03-02T18:00:00Z");
    const id = await newNetwork(net, "Self Net G");
    seen.length = 0;
    const strict = callerAs({ ...testServices(db, clock), outbound: undefined }, net);
    const r = await strict.buyers.sendTest({ id, kind: "ping" });
    expect(seen).toHaveLength(0);
    expect(r.answer).toBeNull();
    expect(r.understood.outcome).toBe("ERROR");
  });
});
