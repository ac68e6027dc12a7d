// The demo world on a fresh PostgreSQL database, for the access proofs: every organisation of
// the demo (two or more per role, so "another organisation's user" is real), its buyers, leads,
// DJs, marketplace leads, calls and returns, plus a second seller. Users get a hash that matches no
// password (hashing 14 demo passwords would take seconds); the one login test uses its own user.
import { createApiKey, createUser, type Services, type SessionUser } from "@leadflow/api";
import { silentLog, TEST_OUTBOUND } from "@leadflow/api/testing";
import { createBoss, orgs, users, type Db } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { systemClock, type UserRole } from "@leadflow/engine";
import { sql } from "drizzle-orm";
import type PgBoss from "pg-boss";
import { domainSeeds } from "../seed/seed";
import { DEMO_ORGS } from "../seed/world";

export type Role = UserRole;
export const ROLES: Role[] = ["admin", "contractor", "network", "dj", "seller"];

export interface AccessWorld {
  t: TestDb;
  db: Db;
  boss: PgBoss;
  services: Services;
  /** One user per role, and a user of another organisation with the same role. */
  user: Record<Role, SessionUser>;
  other: Record<Role, SessionUser>;
  orgIds: Map<string, string>;
  /** A user with a real password, for auth.login. */
  login: { email: string; password: string };
  apiKey: Record<Role | "otherSeller", string>;
  close(): Promise<void>;
}

async function sessionUser(db: Db, email: string): Promise<SessionUser> {
  const rows = await q<{ id: string; org_id: string; kind: string; org_name: string; name: string; role: Role }>(
    db,
    sql`select u.id, u.org_id, o.kind, o.name as org_name, u.name, u.role from users u join orgs o on o.id = u.org_id where u.email = ${email}`,
  );
  const u = rows[0]!;
  return {
    id: u.id,
    orgId: u.org_id,
    orgKind: u.kind as SessionUser["orgKind"],
    orgName: u.org_name,
    email,
    name: u.name,
    role: u.role,
  };
}

/** postgres.js returns an array; keep one accessor in case the driver's shape differs. */
export function rowsOf<T>(r: unknown): T[] {
  return (Array.isArray(r) ? r : ((r as { rows?: T[] }).rows ?? [])) as T[];
}

export async function q<T>(db: Db, query: ReturnType<typeof sql>): Promise<T[]> {
  return rowsOf<T>(await db.execute(query));
}

export async function makeAccessWorld(): Promise<AccessWorld> {
  const t = await createTestDb();
  const db = t.db;
  const orgIds = new Map<string, string>();
  for (const o of DEMO_ORGS) {
    const [row] = await db.insert(orgs).values({ name: o.name, kind: o.kind }).returning({ id: orgs.id });
    orgIds.set(o.key, row!.id);
    await db.insert(users).values({
      orgId: row!.id,
      email: o.user.email,
      name: o.user.name,
      role: o.user.role,
      passwordHash: "scrypt$1$1$1$AA$AA",
    });
  }
  for (const step of domainSeeds()) await step.run({ db, orgIds, progress: () => {} });
  const [seller2] = await db
    .insert(orgs)
    .values({ name: "Other Seller Co", kind: "seller" })
    .returning({ id: orgs.id });
  orgIds.set("seller-2", seller2!.id);
  await db.insert(users).values({
    orgId: seller2!.id,
    email: "seller@other.test",
    name: "Olly Other",
    role: "seller",
    passwordHash: "scrypt$1$1$1$AA$AA",
  });
  const [platform2] = await db
    .insert(orgs)
    .values({ name: "Second Platform Team", kind: "platform" })
    .returning({ id: orgs.id });
  await db.insert(users).values({
    orgId: platform2!.id,
    email: "admin2@leadflow.test",
    name: "Second Admin",
    role: "admin",
    passwordHash: "scrypt$1$1$1$AA$AA",
  });
  const login = { email: "login@leadflow.test", password: "correct horse battery staple" };
  await createUser(db, {
    orgId: seller2!.id,
    email: login.email,
    name: "Login User",
    role: "seller",
    password: login.password,
  });

  const boss = createBoss(t);
  boss.on("error", () => {});
  await boss.start();
  const services: Services = {
    db,
    handle: t,
    clock: systemClock,
    log: silentLog,
    publicUrl: "http://127.0.0.1",
    boss,
    outbound: TEST_OUTBOUND,
  };

  const byEmail = (e: string) => sessionUser(db, e);
  const user: Record<Role, SessionUser> = {
    admin: await byEmail("admin@leadflow.test"),
    contractor: await byEmail("owner@bluffcityroofing.test"),
    network: await byEmail("buyer@homequote.test"),
    dj: await byEmail("dj@bealestreet.test"),
    seller: await byEmail("seller@brightpath.test"),
  };
  const other: Record<Role, SessionUser> = {
    admin: await byEmail("admin2@leadflow.test"),
    contractor: await byEmail("office@midsouthstorm.test"),
    network: await byEmail("buyer@roofmatch.test"),
    dj: await byEmail("book@overtongrove.test"),
    seller: await byEmail("seller@other.test"),
  };
  const apiKey = {} as AccessWorld["apiKey"];
  for (const r of ROLES) apiKey[r] = (await createApiKey(db, user[r].orgId, `access ${r}`)).key;
  apiKey.otherSeller = (await createApiKey(db, other.seller.orgId, "access other seller")).key;
  return {
    t,
    db,
    boss,
    services,
    user,
    other,
    orgIds,
    login,
    apiKey,
    async close() {
      await boss.stop({ graceful: true, wait: true }).catch(() => {});
      await t.drop();
    },
  };
}
