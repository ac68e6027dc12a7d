// Helpers for tests: make an organisation with a user, and a tRPC caller acting as them.
import { orgs, users, type Db } from "@leadflow/db";
import { ManualClock, type Clock, type OrgKind, type UserRole } from "@leadflow/engine";
import { eq } from "drizzle-orm";
import pino from "pino";
import type { SessionUser } from "./auth/sessions";
import { createContextInner, type Services } from "./context";
import { createCaller } from "./root";

export const silentLog = pino({ level: "silent" });

const KIND_FOR_ROLE: Record<UserRole, OrgKind> = {
  admin: "platform",
  contractor: "contractor",
  network: "network",
  dj: "dj",
  seller: "seller",
};

let n = 0;
/**
 * An organisation with one user. The password hash is a fixed scrypt-shaped string that matches
 * nothing, so tests don't pay for real hashing unless they log in.
 */
export async function makeOrgUser(db: Db, role: UserRole, name?: string): Promise<SessionUser> {
  const label = name ?? `${role} org ${++n}`;
  const [org] = await db.insert(orgs).values({ name: label, kind: KIND_FOR_ROLE[role] }).returning();
  const email = `${role}.${n}.${Math.random().toString(36).slice(2, 8)}@example.test`;
  const [u] = await db
    .insert(users)
    .values({ orgId: org!.id, email, name: `${role} user`, role, passwordHash: "scrypt$1$1$1$AA$AA" })
    .returning();
  const [row] = await db.select().from(users).where(eq(users.id, u!.id));
  return { id: row!.id, orgId: org!.id, orgKind: org!.kind, orgName: org!.name, email, name: row!.name, role };
}

export function testServices(db: Db, clock: Clock = new ManualClock("2026-03-02T15:00:00Z")): Services {
  return { db, clock, log: silentLog, publicUrl: "http://127.0.0.1:0" };
}

/** A tRPC caller acting as `user` (or anonymous with null). */
export function callerAs(services: Services, user: SessionUser | null) {
  return createCaller(createContextInner({ ...services, user }));
}
