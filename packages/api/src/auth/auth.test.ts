import { apiKeys, sessions, type Db } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { ManualClock } from "@leadflow/engine";
import { TRPCError } from "@trpc/server";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerAs, makeOrgUser, testServices } from "../testing";
import { hashPassword, PASSWORD_HASH_COST, setPasswordHashCostForTests, verifyPassword } from "./password";
import { authenticateApiKey, createApiKey, createUser, login, userForSession, SESSION_TTL_MS } from "./sessions";
import { sha256Hex } from "./tokens";

let t: TestDb;
let db: Db;
beforeAll(async () => {
  t = await createTestDb();
  db = t.db;
});
afterAll(() => t?.drop());

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "OK";
  } catch (e) {
    return e instanceof TRPCError ? e.code : ((e as { code?: string }).code ?? String(e));
  }
}

describe("passwords", () => {
  it("hashes with scrypt at OWASP's floor", async () => {
    // The suite hashes cheaply (vitest.setup.ts); this test uses the application's own cost,
    // 128 MiB a hash: slow by nature on a busy machine, hence its own time limit.
    const suiteCost = setPasswordHashCostForTests(PASSWORD_HASH_COST);
    try {
      const h = await hashPassword("correct horse");
      expect(h).toMatch(/^scrypt\$131072\$8\$1\$/);
      expect(await verifyPassword("correct horse", h)).toBe(true);
    } finally {
      setPasswordHashCostForTests(suiteCost);
    }
  }, 300_000);

  it("salts each hash, keeps no password, and verifies by the parameters stored in the hash", async () => {
    const h1 = await hashPassword("correct horse");
    const h2 = await hashPassword("correct horse");
    expect(h1).toMatch(/^scrypt\$\d+\$8\$1\$/);
    expect(h1).not.toBe(h2);
    expect(h1).not.toContain("correct horse");
    expect(await verifyPassword("correct horse", h1)).toBe(true);
    expect(await verifyPassword("correct hors", h1)).toBe(false);
    expect(await verifyPassword("x", "garbage")).toBe(false);
    // A hash made at another cost still verifies: the cost is read from the hash.
    const suiteCost = setPasswordHashCostForTests({ N: 1 << 11, r: 8, p: 1 });
    try {
      expect(await verifyPassword("correct horse", h1)).toBe(true);
      expect(await verifyPassword("correct hors", h1)).toBe(false);
    } finally {
      setPasswordHashCostForTests(suiteCost);
    }
  });
});

describe("sessions", () => {
  it("logs in, stores only the token's hash, and expires", async () => {
    const clock = new ManualClock("2026-03-02T12:00:00Z");
    const u = await makeOrgUser(db, "contractor");
    await createUser(db, {
      orgId: u.orgId,
      email: "Login.Me@Example.test",
      name: "L",
      role: "contractor",
      password: "pw-123456",
    });
    const s = await login(db, clock, "login.me@example.test", "pw-123456");
    expect(s.user.role).toBe("contractor");
    const stored = await db.select().from(sessions).where(eq(sessions.userId, s.user.id));
    expect(stored).toHaveLength(1);
    expect(stored[0]!.tokenHash).toBe(sha256Hex(s.token));
    expect(stored[0]!.tokenHash).not.toBe(s.token);
    expect((await userForSession(db, clock, s.token))?.id).toBe(s.user.id);
    clock.advance(SESSION_TTL_MS + 1);
    expect(await userForSession(db, clock, s.token)).toBeNull();
  });

  it("refuses a wrong password and an unknown email with the same message and stores nothing", async () => {
    const clock = new ManualClock();
    const u = await makeOrgUser(db, "dj");
    await createUser(db, {
      orgId: u.orgId,
      email: "dj.pw@example.test",
      name: "D",
      role: "dj",
      password: "right-password",
    });
    const before = (await db.select({ n: count() }).from(sessions))[0]!.n;
    const a = await login(db, clock, "dj.pw@example.test", "wrong").catch((e: Error) => e.message);
    const b = await login(db, clock, "nobody@example.test", "wrong").catch((e: Error) => e.message);
    expect(a).toBe(b);
    expect(a).toMatch(/don't match/);
    expect((await db.select({ n: count() }).from(sessions))[0]!.n).toBe(before);
  });
});

describe("API keys", () => {
  it("stores only a hash, authenticates the key, and stops after revocation", async () => {
    const clock = new ManualClock();
    const seller = await makeOrgUser(db, "seller");
    const k = await createApiKey(db, seller.orgId, "CRM");
    const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, k.id));
    expect(row!.keyHash).toBe(sha256Hex(k.key));
    expect(JSON.stringify(row)).not.toContain(k.key);
    expect((await authenticateApiKey(db, clock, k.key))?.orgId).toBe(seller.orgId);
    expect(await authenticateApiKey(db, clock, k.key + "x")).toBeNull();
    expect(await authenticateApiKey(db, clock, undefined)).toBeNull();
    await callerAs(testServices(db), seller).apiKeys.revoke({ id: k.id });
    expect(await authenticateApiKey(db, clock, k.key)).toBeNull();
  });
});

describe("procedure access", () => {
  it("anonymous gets UNAUTHORIZED on authed and role procedures", async () => {
    const anon = callerAs(testServices(db), null);
    expect(await codeOf(anon.auth.whoami())).toBe("UNAUTHORIZED");
    expect(await codeOf(anon.admin.orgs())).toBe("UNAUTHORIZED");
    expect(await codeOf(anon.apiKeys.list())).toBe("UNAUTHORIZED");
    expect(await anon.auth.me()).toBeNull();
  });

  it("a wrong role gets FORBIDDEN", async () => {
    const s = testServices(db);
    for (const role of ["contractor", "network", "dj", "seller"] as const) {
      expect(await codeOf(callerAs(s, await makeOrgUser(db, role)).admin.orgs())).toBe("FORBIDDEN");
    }
    expect(await codeOf(callerAs(s, await makeOrgUser(db, "dj")).apiKeys.list())).toBe("FORBIDDEN");
    expect(await codeOf(callerAs(s, await makeOrgUser(db, "admin")).admin.orgs())).toBe("OK");
  });

  it("scopes every read and write to the caller's organisation", async () => {
    const s = testServices(db);
    const a = await makeOrgUser(db, "contractor");
    const b = await makeOrgUser(db, "contractor");
    const ka = await callerAs(s, a).apiKeys.create({ name: "A's key" });
    await callerAs(s, b).apiKeys.create({ name: "B's key" });
    const seenByB = await callerAs(s, b).apiKeys.list();
    expect(seenByB.map((k) => k.name)).toEqual(["B's key"]);
    expect(await codeOf(callerAs(s, b).apiKeys.revoke({ id: ka.id }))).toBe("NOT_FOUND");
    expect((await callerAs(s, a).apiKeys.list())[0]!.revokedAt).toBeNull();
  });

  it("rejects bad input with field errors", async () => {
    const s = testServices(db);
    const u = await makeOrgUser(db, "seller");
    const err = await callerAs(s, u)
      .apiKeys.create({ name: "   " })
      .catch((e: TRPCError) => e);
    expect(err).toBeInstanceOf(TRPCError);
    expect((err as TRPCError).code).toBe("BAD_REQUEST");
  });
});
