// A customer's contact is never handed out before it is paid for: an auction ping (over real HTTP
// to a buyer that records what it receives) carries no name, email, phone or address, while the
// winner's POST does; a DJ's inbox shows the couple's contact only after the DJ unlocked it.
import { closeBuyerAgent, createApiKey, type Services } from "@leadflow/api";
import { callerAs, makeDj, makeLead, makeOrgUser, silentLog, TEST_OUTBOUND } from "@leadflow/api/testing";
import { buyers, buyerZips, leadAssignments, orgs, verticals } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { systemClock } from "@leadflow/engine";
import type { FastifyInstance } from "fastify";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "@leadflow/server";

let t: TestDb;
let app: FastifyInstance;
let services: Services;
let buyerServer: Server;
const received: { path: string; body: string }[] = [];
let sellerKey: string;
let otherSellerKey: string;

beforeAll(async () => {
  t = await createTestDb();
  services = {
    db: t.db,
    handle: t,
    clock: systemClock,
    log: silentLog,
    publicUrl: "http://127.0.0.1",
    outbound: TEST_OUTBOUND,
  };
  // A network buyer that records every request: bids $25 on pings, accepts posts.
  buyerServer = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      received.push({ path: req.url ?? "", body });
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(req.url === "/ping" ? { bid: 25 } : { accepted: true }));
    });
  });
  await new Promise<void>((r) => buyerServer.listen(0, "127.0.0.1", r));
  const base = `http://127.0.0.1:${(buyerServer.address() as AddressInfo).port}`;
  const [seller] = await t.db.insert(orgs).values({ name: "Seller", kind: "seller" }).returning();
  const [seller2] = await t.db.insert(orgs).values({ name: "Other seller", kind: "seller" }).returning();
  const [net] = await t.db.insert(orgs).values({ name: "Recording Network", kind: "network" }).returning();
  await t.db.insert(verticals).values({ key: "roofing", name: "Roofing" });
  const [b] = await t.db
    .insert(buyers)
    .values({
      orgId: net!.id,
      name: "Recorder",
      type: "NETWORK",
      verticals: ["roofing"],
      pingUrl: `${base}/ping`,
      postUrl: `${base}/post`,
      pingTimeoutMs: 2000,
      timeZone: "America/Chicago",
      duplicateLookbackDays: 0,
    })
    .returning();
  await t.db.insert(buyerZips).values({ buyerId: b!.id, zip: "*", priority: 1 });
  sellerKey = (await createApiKey(t.db, seller!.id, "k")).key;
  otherSellerKey = (await createApiKey(t.db, seller2!.id, "k")).key;
  app = await buildApp({ services, dashboardDir: "/nonexistent" });
});
afterAll(async () => {
  await app?.close();
  await new Promise<void>((r) => buyerServer?.close(() => r()));
  await closeBuyerAgent();
  await t?.drop();
});

const contact = {
  firstName: "Harriet",
  lastName: "Homeowner",
  email: "harriet.homeowner@example.test",
  phone: "(512) 555-0199",
  address: "12 Gable Lane",
  city: "Austin",
};
const needles = ["Harriet", "Homeowner", "harriet.homeowner@example.test", "5125550199", "555-0199", "12 Gable Lane"];

describe("auction: the homeowner's contact", () => {
  it("is absent from every ping a buyer receives, present in the winner's POST, and shown only to the seller that sent it", async () => {
    const r = await app.inject({
      method: "POST",
      url: "/api/v1/leads?wait=1",
      headers: { authorization: `Bearer ${sellerKey}` },
      payload: { vertical: "roofing", zip: "78701", state: "TX", contact, customFields: { roofAge: 12 } },
    });
    expect(r.statusCode, r.body).toBe(201);
    const pings = received.filter((x) => x.path === "/ping");
    const posts = received.filter((x) => x.path === "/post");
    expect(pings).toHaveLength(1);
    for (const n of needles) expect(pings[0]!.body).not.toContain(n);
    expect(JSON.parse(pings[0]!.body)).toMatchObject({ zip: "78701", vertical: "roofing", fields: { roofAge: 12 } });
    // The capture sees contact details when they are sent: the winner's POST has them.
    expect(posts).toHaveLength(1);
    expect(posts[0]!.body).toContain("harriet.homeowner@example.test");

    const id = r.json<{ id: string }>().id;
    const own = await app.inject({
      method: "GET",
      url: `/api/v1/leads/${id}`,
      headers: { authorization: `Bearer ${sellerKey}` },
    });
    expect(own.statusCode).toBe(200);
    const other = await app.inject({
      method: "GET",
      url: `/api/v1/leads/${id}`,
      headers: { authorization: `Bearer ${otherSellerKey}` },
    });
    expect(other.statusCode).toBe(404);
    for (const n of needles) expect(other.body).not.toContain(n);
  });
});

describe("marketplace: the couple's contact", () => {
  it("stays out of the DJ's inbox and answers until the DJ accepts and unlocks it, and another DJ never gets it", async () => {
    const [djUser, otherDjUser] = [await makeOrgUser(t.db, "dj"), await makeOrgUser(t.db, "dj")];
    const dj = await makeDj(t.db, { orgId: djUser.orgId, credits: 10 });
    await makeDj(t.db, { orgId: otherDjUser.orgId, credits: 10 });
    const now = systemClock.now();
    const lead = await makeLead(t.db, {
      leadState: "exclusive",
      phaseSeq: 1,
      createdAt: now,
      contact: { name: "Casey Couple", email: "casey.couple@example.test", phone: "(901) 555-0142" },
    });
    await t.db.insert(leadAssignments).values({
      leadId: lead.id,
      djId: dj.id,
      phase: "exclusive",
      phaseSeq: 1,
      status: "offered",
      offeredAt: now,
      windowEndsAt: new Date(now.getTime() + 3_600_000),
    });
    const secret = ["casey.couple@example.test", "555-0142", "9015550142"];
    const as = callerAs(services, djUser);
    const other = callerAs(services, otherDjUser);
    const shows = (v: unknown) =>
      secret.some((s) =>
        JSON.stringify(v)
          .replace(/[()\s]/g, "")
          .includes(s.replace(/[()\s]/g, "")),
      );

    const inbox = await as.marketDj.inbox();
    expect(inbox.items.map((i) => i.leadId)).toContain(lead.id);
    expect(shows(inbox)).toBe(false);
    await expect(as.marketDj.unlock({ leadId: lead.id })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    const accepted = await as.marketDj.respond({ leadId: lead.id, action: "accepted", quoteDollars: 1200 });
    expect(shows(accepted)).toBe(false);
    expect(shows(await as.marketDj.inbox())).toBe(false);
    await expect(other.marketDj.unlock({ leadId: lead.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(shows(await other.marketDj.inbox())).toBe(false);

    const unlocked = await as.marketDj.unlock({ leadId: lead.id });
    expect(shows(unlocked)).toBe(true);
    expect(shows(await as.marketDj.inbox())).toBe(true);
    expect(shows(await other.marketDj.inbox())).toBe(false);
  });
});
