// User management on real PostgreSQL (docs/users.md): an admin creates a user who chooses a
// password from a one-time link; deactivation ends every session at once and refuses sign-in with
// the wrong-password answer; links work once and expire; the last active admin stays; a user
// changes their own password; every change writes its audit entry in the change's transaction, and
// a refused change leaves none.
import { auditLog, emailOutbox, passwordResetTokens, sessions, users, type Db } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { ManualClock } from "@leadflow/engine";
import { TRPCError } from "@trpc/server";
import { and, eq, isNull, ne } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { login, userForSession, type SessionUser } from "../auth/sessions";
import { sha256Hex } from "../auth/tokens";
import { createContextInner } from "../context";
import { createCaller } from "../root";
import { makeOrgUser, testServices } from "../testing";
import { RESET_LINK_TTL_MS } from "./service";

const WRONG = /don't match an account/;

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "OK";
  } catch (e) {
    return e instanceof TRPCError ? e.code : String(e);
  }
}

function world(db: Db) {
  const clock = new ManualClock("2026-03-02T15:00:00Z");
  const s = testServices(db, clock);
  // Each call a second after the last, so entries and links are ordered by time as in real use.
  const as = (u: SessionUser | null, sessionToken?: string) => {
    clock.advance(1000);
    return createCaller(createContextInner({ ...s, user: u, ip: "203.0.113.9", sessionToken }));
  };
  /** The link the user was last emailed: its token, read from the outbox as the person would. */
  const linkOf = async (email: string) => {
    const rows = await db.select().from(emailOutbox).where(eq(emailOutbox.to, email));
    const last = rows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()).at(-1);
    const m = /\/reset-password#([A-Za-z0-9_-]+)/.exec(last?.text ?? "");
    if (!m) throw new Error(`no link emailed to ${email}`);
    return m[1]!;
  };
  const entries = (entityId: string) =>
    db.select().from(auditLog).where(eq(auditLog.entityId, entityId)).orderBy(auditLog.at, auditLog.id);
  return { clock, s, as, linkOf, entries };
}

describe("user management", () => {
  let t: TestDb;
  let db: Db;
  let admin: SessionUser;
  let sellerOrg: SessionUser;
  beforeAll(async () => {
    t = await createTestDb();
    db = t.db;
    admin = await makeOrgUser(db, "admin");
    await makeOrgUser(db, "admin");
    sellerOrg = await makeOrgUser(db, "seller");
  });
  afterAll(() => t?.drop());

  it("creates a user whose role fits the organisation; the link sets the password once", async () => {
    const w = world(db);
    const bad = await w
      .as(admin)
      .users.create({ orgId: sellerOrg.orgId, email: "wrong.role@example.test", name: "W", role: "network" })
      .catch((e: TRPCError) => e);
    expect((bad as TRPCError).code).toBe("BAD_REQUEST");
    expect(await db.select().from(users).where(eq(users.email, "wrong.role@example.test"))).toEqual([]);

    const made = await w
      .as(admin)
      .users.create({ orgId: sellerOrg.orgId, email: "New.Person@Example.test", name: "New Person", role: "seller" });
    expect(made).toEqual({ id: expect.any(String) });
    expect(
      await codeOf(
        w
          .as(admin)
          .users.create({ orgId: sellerOrg.orgId, email: "new.person@example.test", name: "X", role: "seller" }),
      ),
    ).toBe("CONFLICT");
    // No password yet: nothing signs in.
    expect(await login(db, w.clock, "new.person@example.test", "unset").catch((e: Error) => e.message)).toMatch(WRONG);

    const token = await w.linkOf("new.person@example.test");
    const [stored] = await db.select().from(passwordResetTokens).where(eq(passwordResetTokens.userId, made.id));
    expect(stored!.tokenHash).toBe(sha256Hex(token));
    expect(JSON.stringify(stored)).not.toContain(token);

    expect(
      await codeOf(w.as(null).users.resetPassword({ token, password: "short" })),
      "the password rule applies",
    ).toBe("BAD_REQUEST");
    await w.as(null).users.resetPassword({ token, password: "a brand new password" });
    const s = await login(db, w.clock, "new.person@example.test", "a brand new password");
    expect(s.user.id).toBe(made.id);
    expect(await codeOf(w.as(null).users.resetPassword({ token, password: "another new password" }))).toBe(
      "BAD_REQUEST",
    );

    const rows = await w.entries(made.id);
    expect(rows.map((r) => r.action)).toEqual(["users.create", "users.resetPassword"]);
    expect(rows[0]!.actorUserId).toBe(admin.id);
    expect(rows[0]!.orgId).toBe(sellerOrg.orgId);
    expect(rows[0]!.ip).toBe("203.0.113.9");
    expect(rows[0]!.after?.role).toBe("seller");
    expect(rows[1]!.changed).toContain("passwordHash");
    expect(rows[1]!.after?.passwordHash).toBe("[redacted]");
    const text = JSON.stringify(rows);
    expect(text).not.toContain(token);
    expect(text).not.toContain("scrypt$");
  });

  it("deactivating ends every session at once and sign-in answers as for a wrong password", async () => {
    const w = world(db);
    const u = await w
      .as(admin)
      .users.create({ orgId: sellerOrg.orgId, email: "leaving@example.test", name: "Leaving", role: "seller" });
    await w
      .as(null)
      .users.resetPassword({ token: await w.linkOf("leaving@example.test"), password: "leaving password" });
    const s1 = await login(db, w.clock, "leaving@example.test", "leaving password");
    const s2 = await login(db, w.clock, "leaving@example.test", "leaving password");
    expect(await userForSession(db, w.clock, s1.token)).not.toBeNull();

    const r = await w.as(admin).users.deactivate({ id: u.id });
    expect(r.sessionsEnded).toBe(2);
    expect(await userForSession(db, w.clock, s1.token)).toBeNull();
    expect(await userForSession(db, w.clock, s2.token)).toBeNull();
    expect(await db.select().from(sessions).where(eq(sessions.userId, u.id))).toEqual([]);
    const refused = await login(db, w.clock, "leaving@example.test", "leaving password").catch((e: Error) => e.message);
    const wrong = await login(db, w.clock, "leaving@example.test", "not it at all").catch((e: Error) => e.message);
    expect(refused).toBe(wrong);
    expect(refused).toMatch(WRONG);
    // A link can't be sent to a deactivated user, and that refusal writes nothing.
    expect(await codeOf(w.as(admin).users.sendPasswordReset({ id: u.id }))).toBe("PRECONDITION_FAILED");

    await w.as(admin).users.reactivate({ id: u.id });
    expect((await login(db, w.clock, "leaving@example.test", "leaving password")).user.id).toBe(u.id);
    const rows = await w.entries(u.id);
    expect(rows.map((x) => x.action)).toEqual([
      "users.create",
      "users.resetPassword",
      "users.deactivate",
      "users.reactivate",
    ]);
    expect(rows[2]!.changed).toEqual(["deactivatedAt"]);
    expect(rows[2]!.before?.deactivatedAt).toBeNull();
  });

  it("a reset link works once and only for an hour; issuing one is audited without the token", async () => {
    const w = world(db);
    const u = await w
      .as(admin)
      .users.create({ orgId: sellerOrg.orgId, email: "forgetful@example.test", name: "F", role: "seller" });
    await w.as(admin).users.sendPasswordReset({ id: u.id });
    const late = await w.linkOf("forgetful@example.test");
    w.clock.advance(RESET_LINK_TTL_MS + 1000);
    expect(await codeOf(w.as(null).users.resetPassword({ token: late, password: "too late password" }))).toBe(
      "BAD_REQUEST",
    );
    await w.as(admin).users.sendPasswordReset({ id: u.id });
    const fresh = await w.linkOf("forgetful@example.test");
    expect(fresh).not.toBe(late);
    // Two uses at once: exactly one sets the password.
    const both = await Promise.all([
      codeOf(w.as(null).users.resetPassword({ token: fresh, password: "first new password" })),
      codeOf(w.as(null).users.resetPassword({ token: fresh, password: "second new password" })),
    ]);
    expect(both.sort()).toEqual(["BAD_REQUEST", "OK"]);
    const rows = await w.entries(u.id);
    const issued = rows.filter((r) => r.action === "users.sendPasswordReset");
    expect(issued).toHaveLength(2);
    expect(issued[0]!.changed).toEqual(["resetLinkIssuedAt"]);
    expect(JSON.stringify(rows)).not.toContain(fresh);
    expect(rows.filter((r) => r.action === "users.resetPassword")).toHaveLength(1);
  });

  it("a user changes their own password: the current one is required and other sessions end", async () => {
    const w = world(db);
    const u = await w
      .as(admin)
      .users.create({ orgId: sellerOrg.orgId, email: "mover@example.test", name: "M", role: "seller" });
    await w.as(null).users.resetPassword({ token: await w.linkOf("mover@example.test"), password: "first password!" });
    const here = await login(db, w.clock, "mover@example.test", "first password!");
    const there = await login(db, w.clock, "mover@example.test", "first password!");
    const me = await w.as(here.user, here.token);
    const wrong = await me.auth
      .changePassword({ currentPassword: "nope", newPassword: "second password!" })
      .catch((e: TRPCError) => e);
    expect((wrong as TRPCError).code).toBe("BAD_REQUEST");
    const before = (await w.entries(u.id)).length;
    expect(before).toBe(2);
    const r = await me.auth.changePassword({ currentPassword: "first password!", newPassword: "second password!" });
    expect(r.sessionsEnded).toBe(1);
    expect(await userForSession(db, w.clock, here.token)).not.toBeNull();
    expect(await userForSession(db, w.clock, there.token)).toBeNull();
    expect(await login(db, w.clock, "mover@example.test", "first password!").catch((e: Error) => e.message)).toMatch(
      WRONG,
    );
    const rows = await w.entries(u.id);
    expect(rows.at(-1)!.action).toBe("auth.changePassword");
    expect(rows.at(-1)!.actorUserId).toBe(u.id);
    expect(rows.at(-1)!.changed).toEqual(["passwordHash"]);
  });

  it("an admin edits a name; a role that doesn't fit the organisation is refused and writes nothing", async () => {
    const w = world(db);
    const u = await w
      .as(admin)
      .users.create({ orgId: sellerOrg.orgId, email: "renamed@example.test", name: "Old Name", role: "seller" });
    await w.as(admin).users.update({ id: u.id, name: "New Name", role: "seller" });
    expect(await codeOf(w.as(admin).users.update({ id: u.id, name: "Other", role: "admin" }))).toBe("BAD_REQUEST");
    expect(
      await codeOf(w.as(admin).users.update({ id: "0f5c1d2e-8a3b-4c4d-9e5f-6a7b8c9d0e1f", name: "X", role: "seller" })),
    ).toBe("NOT_FOUND");
    const rows = await w.entries(u.id);
    expect(rows.map((r) => r.action)).toEqual(["users.create", "users.update"]);
    expect(rows[1]!.changed).toEqual(["name"]);
    const [row] = await db.select().from(users).where(eq(users.id, u.id));
    expect(row!.name).toBe("New Name");
  });
});

describe("the last active admin", () => {
  let t: TestDb;
  let db: Db;
  beforeAll(async () => {
    t = await createTestDb();
    db = t.db;
  });
  afterAll(() => t?.drop());

  it("can't be deactivated, even by two admins deactivating each other at once; the refusal writes nothing", async () => {
    const w = world(db);
    const a = await makeOrgUser(db, "admin");
    const b = await makeOrgUser(db, "admin");
    const both = await Promise.all([
      codeOf(w.as(a).users.deactivate({ id: b.id })),
      codeOf(w.as(b).users.deactivate({ id: a.id })),
    ]);
    expect(both.sort()).toEqual(["OK", "PRECONDITION_FAILED"]);
    const active = await db
      .select()
      .from(users)
      .where(and(eq(users.role, "admin"), isNull(users.deactivatedAt)));
    expect(active).toHaveLength(1);
    const last = active[0]!;
    const lastUser = last.id === a.id ? a : b;
    const entriesBefore = await db.select().from(auditLog).where(ne(auditLog.action, "users.deactivate"));
    const deactivations = await db.select().from(auditLog).where(eq(auditLog.action, "users.deactivate"));
    expect(deactivations).toHaveLength(1);
    // The last admin deactivating themselves is refused, and the refusal leaves no entry.
    expect(await codeOf(w.as(lastUser).users.deactivate({ id: last.id }))).toBe("PRECONDITION_FAILED");
    const [still] = await db.select().from(users).where(eq(users.id, last.id));
    expect(still!.deactivatedAt).toBeNull();
    expect(await db.select().from(auditLog).where(eq(auditLog.action, "users.deactivate"))).toHaveLength(1);
    expect(await db.select().from(auditLog).where(ne(auditLog.action, "users.deactivate"))).toHaveLength(
      entriesBefore.length,
    );
    // With a second admin back, the first may go.
    const other = last.id === a.id ? b : a;
    await w.as(lastUser).users.reactivate({ id: other.id });
    expect(await codeOf(w.as(lastUser).users.deactivate({ id: last.id }))).toBe("OK");
  });
});
