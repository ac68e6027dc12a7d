// The audit log on real PostgreSQL: every mutation of the app is classified (audited, or listed as
// not a settings change with a reason); an audited change writes its entry in the same transaction
// (a failed change leaves neither); secrets never reach the log; a buyer sees only its own entries.
import { auditLog, buyers, verticals, type Db } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionUser } from "../auth/sessions";
import { createContextInner } from "../context";
import { appRouter, createCaller } from "../root";
import { makeOrgUser, testServices } from "../testing";
import { audited, auditedEntityOf, redact } from "./index";
import { NOT_SETTINGS } from "./not-settings";

let t: TestDb;
let db: Db;
let admin: SessionUser, net: SessionUser, otherNet: SessionUser;
beforeAll(async () => {
  t = await createTestDb();
  db = t.db;
  await db.insert(verticals).values([{ key: "roofing", name: "Roofing", floorCents: 1500 }]);
  [admin, net, otherNet] = await Promise.all([
    makeOrgUser(db, "admin"),
    makeOrgUser(db, "network"),
    makeOrgUser(db, "network"),
  ]);
});
afterAll(() => t?.drop());

const as = (u: SessionUser, ip = "203.0.113.7") =>
  createCaller(createContextInner({ ...testServices(db), user: u, ip }));

const network = (name: string, minBidCents = 1000) => ({
  type: "NETWORK" as const,
  name,
  active: true,
  verticals: ["roofing"],
  compliance: [],
  timeZone: "America/Chicago",
  hours: null,
  capDaily: null,
  capWeekly: null,
  capMonthly: null,
  duplicateLookbackDays: 30,
  serviceZips: [{ zip: "38103", priority: 1 }],
  pingUrl: "http://127.0.0.1:9/ping",
  postUrl: "http://127.0.0.1:9/post",
  pingTimeoutMs: 1000,
  minBidCents,
  responseMapping: null,
});

describe("audit coverage", () => {
  it("every mutation is audited or listed as not a settings change, with a reason", () => {
    const procs = (
      appRouter._def as unknown as { procedures: Record<string, { _def: { type: string; resolver?: unknown } }> }
    ).procedures;
    const mutations = Object.entries(procs).filter(([, p]) => p._def.type === "mutation");
    expect(mutations.length).toBeGreaterThan(30);
    const unclassified = mutations
      .filter(([path, p]) => !auditedEntityOf(p._def.resolver) && !NOT_SETTINGS[path])
      .map(([path]) => path);
    expect(unclassified).toEqual([]);
    const both = mutations
      .filter(([path, p]) => auditedEntityOf(p._def.resolver) && NOT_SETTINGS[path])
      .map(([k]) => k);
    expect(both).toEqual([]);
    const stale = Object.keys(NOT_SETTINGS).filter((k) => !procs[k] || procs[k]._def.type !== "mutation");
    expect(stale).toEqual([]);
    for (const reason of Object.values(NOT_SETTINGS)) expect(reason.length).toBeGreaterThan(10);
  });
});

describe("audit entries", () => {
  it("a buyer's change is logged with who, where, before and after; secrets redacted", async () => {
    const { buyer: b } = await as(admin).buyers.create({ orgId: net.orgId, buyer: network("Audit Net A") });
    await as(admin, "198.51.100.4").buyers.update({ id: b.id, buyer: network("Audit Net A", 2500) });
    await as(admin).buyers.setRequestTemplate({
      id: b.id,
      requestTemplate: {
        ping: {
          format: "JSON",
          fields: [
            { name: "zip", source: "zip" },
            { name: "api_key", value: "static-key-123" },
          ],
        },
        post: null,
        auth: { kind: "BEARER" },
      },
      requestAuthSecret: "tok_very_secret_value",
    });
    const rows = await db
      .select()
      .from(auditLog)
      .where(eq(auditLog.entityId, b.id))
      .orderBy(auditLog.at, auditLog.action);
    const actions = rows.map((r) => r.action).sort();
    expect(actions).toEqual(["buyers.create", "buyers.setRequestTemplate", "buyers.update"]);
    const upd = rows.find((r) => r.action === "buyers.update")!;
    expect(upd.actorUserId).toBe(admin.id);
    expect(upd.actorEmail).toBe(admin.email);
    expect(upd.actorRole).toBe("admin");
    expect(upd.orgId).toBe(net.orgId);
    expect(upd.ip).toBe("198.51.100.4");
    expect(upd.before?.minBidCents).toBe(1000);
    expect(upd.after?.minBidCents).toBe(2500);
    expect(upd.changed).toEqual(["minBidCents"]);
    const tpl = rows.find((r) => r.action === "buyers.setRequestTemplate")!;
    expect(tpl.changed).toEqual(expect.arrayContaining(["requestAuthSecret", "requestTemplate"]));
    expect(tpl.after?.requestAuthSecret).toBe("[redacted]");
    const text = JSON.stringify(rows);
    expect(text).not.toContain("tok_very_secret_value");
    expect(text).not.toContain("static-key-123");
  });

  it("an API key's hash never reaches the log; a revoke is logged", async () => {
    const k = await as(net).apiKeys.create({ name: "audited key" });
    await as(net).apiKeys.revoke({ id: k.id });
    const rows = await db.select().from(auditLog).where(eq(auditLog.entityId, k.id));
    expect(rows.map((r) => r.action).sort()).toEqual(["apiKeys.create", "apiKeys.revoke"]);
    expect(JSON.stringify(rows)).not.toContain(k.key);
    expect(rows.find((r) => r.action === "apiKeys.revoke")!.changed).toEqual(["revokedAt"]);
  });

  it("a failed change leaves neither the change nor an entry", async () => {
    const { buyer: b } = await as(admin).buyers.create({ orgId: net.orgId, buyer: network("Audit Net B") });
    const before = await db.select().from(auditLog);
    const failing = audited({ entity: "buyer", id: () => b.id }, async ({ ctx }) => {
      await ctx.db.update(buyers).set({ minBidCents: 9999 }).where(eq(buyers.id, b.id));
      throw new Error("boom after the write");
    });
    const ctx = createContextInner({ ...testServices(db), user: admin });
    await expect(failing({ ctx, input: {}, path: "test.fail" })).rejects.toThrow("boom");
    const [row] = await db.select().from(buyers).where(eq(buyers.id, b.id));
    expect(row!.minBidCents).toBe(1000);
    expect((await db.select().from(auditLog)).length).toBe(before.length);
  });

  it("a change to nothing writes no entry", async () => {
    const { buyer: b } = await as(admin).buyers.create({ orgId: net.orgId, buyer: network("Audit Net C") });
    await as(admin).buyers.update({ id: b.id, buyer: network("Audit Net C") });
    const rows = await db.select().from(auditLog).where(eq(auditLog.entityId, b.id));
    expect(rows.map((r) => r.action)).toEqual(["buyers.create"]);
  });

  it("redact replaces secrets at any depth and secret-named static values", () => {
    expect(
      redact({
        webhookSecret: "whsec_x",
        nested: [
          { name: "Authorization", value: "Bearer x" },
          { name: "zip", value: "38103" },
        ],
        password: null,
      }),
    ).toEqual({
      webhookSecret: "[redacted]",
      nested: [
        { name: "Authorization", value: "[redacted]" },
        { name: "zip", value: "38103" },
      ],
      password: null,
    });
  });
});

describe("audit.list", () => {
  it("the admin sees all with filters and cursor paging; a buyer sees only its own org's", async () => {
    const { buyer: mine } = await as(admin).buyers.create({ orgId: net.orgId, buyer: network("Audit Net D") });
    const { buyer: theirs } = await as(admin).buyers.create({ orgId: otherNet.orgId, buyer: network("Audit Net E") });
    for (const bid of [1100, 1200, 1300])
      await as(admin).buyers.update({ id: mine.id, buyer: network("Audit Net D", bid) });

    const page1 = await as(admin).audit.list({ entityId: mine.id, limit: 2 });
    expect(page1.rows).toHaveLength(2);
    expect(page1.next).not.toBeNull();
    const page2 = await as(admin).audit.list({ entityId: mine.id, limit: 2, cursor: page1.next! });
    expect(page2.rows).toHaveLength(2);
    expect(page2.next).toBeNull();
    const ids = [...page1.rows, ...page2.rows].map((r) => r.id);
    expect(new Set(ids).size).toBe(4);

    const updates = await as(admin).audit.list({ entityType: "buyer", action: "buyers.update", actor: admin.email });
    expect(updates.rows.every((r) => r.action === "buyers.update" && r.actorEmail === admin.email)).toBe(true);
    const future = await as(admin).audit.list({ from: "2099-01-01" });
    expect(future.rows).toEqual([]);

    const seen = await as(net).audit.list({ limit: 200 });
    expect(seen.rows.some((r) => r.entityId === mine.id)).toBe(true);
    expect(seen.rows.some((r) => r.entityId === theirs.id)).toBe(false);
    // The admin is named by role only to a buyer.
    expect(seen.rows.find((r) => r.entityId === mine.id)!.actorEmail).toBeNull();
    const other = await as(otherNet).audit.list({ limit: 200 });
    expect(other.rows.some((r) => r.entityId === mine.id)).toBe(false);
  });
});
