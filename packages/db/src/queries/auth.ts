// Users, sessions, API keys and organisations: the rows behind login and every caller's identity.
import { and, asc, count, desc, eq, gt, isNull, lt, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "../client";
import { apiKeys, orgs, sessions, users } from "../schema";

export type UserRow = typeof users.$inferSelect;
export type OrgRow = typeof orgs.$inferSelect;

export async function insertUser(db: DbOrTx, values: typeof users.$inferInsert): Promise<UserRow> {
  const [row] = await db.insert(users).values(values).returning();
  return row!;
}

export async function insertOrg(db: DbOrTx, values: typeof orgs.$inferInsert): Promise<OrgRow> {
  const [row] = await db.insert(orgs).values(values).returning();
  return row!;
}

export async function getUser(db: DbOrTx, id: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row;
}

/** The account behind a login email (case-insensitive), with its organisation and password hash. */
export async function getUserForLogin(db: DbOrTx, email: string) {
  const [u] = await db
    .select({
      id: users.id,
      orgId: users.orgId,
      email: users.email,
      name: users.name,
      role: users.role,
      passwordHash: users.passwordHash,
      deactivatedAt: users.deactivatedAt,
      orgKind: orgs.kind,
      orgName: orgs.name,
    })
    .from(users)
    .innerJoin(orgs, eq(orgs.id, users.orgId))
    .where(eq(sql`lower(${users.email})`, email))
    .limit(1);
  return u;
}

export async function insertSession(db: DbOrTx, values: typeof sessions.$inferInsert): Promise<void> {
  await db.insert(sessions).values(values);
}

/** The active user behind an unexpired session token hash (a deactivated user has none). */
export async function getSessionUser(db: DbOrTx, tokenHash: string, now: Date) {
  const [u] = await db
    .select({
      id: users.id,
      orgId: users.orgId,
      email: users.email,
      name: users.name,
      role: users.role,
      orgKind: orgs.kind,
      orgName: orgs.name,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .innerJoin(orgs, eq(orgs.id, users.orgId))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now), isNull(users.deactivatedAt)))
    .limit(1);
  return u;
}

export async function deleteSession(db: DbOrTx, tokenHash: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash));
}

/** Removes sessions that expired before `now`; returns how many went. */
export async function deleteExpiredSessions(db: DbOrTx, now: Date): Promise<number> {
  const gone = await db.delete(sessions).where(lt(sessions.expiresAt, now)).returning({ id: sessions.id });
  return gone.length;
}

export async function insertApiKey(db: DbOrTx, values: typeof apiKeys.$inferInsert): Promise<{ id: string }> {
  const [row] = await db.insert(apiKeys).values(values).returning({ id: apiKeys.id });
  return row!;
}

/** An unrevoked key by its hash, with its organisation's kind. */
export async function getActiveApiKey(db: DbOrTx, keyHash: string) {
  const [row] = await db
    .select({ keyId: apiKeys.id, orgId: apiKeys.orgId, orgKind: orgs.kind, lastUsedAt: apiKeys.lastUsedAt })
    .from(apiKeys)
    .innerJoin(orgs, eq(orgs.id, apiKeys.orgId))
    .where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt)))
    .limit(1);
  return row;
}

export async function setApiKeyLastUsed(db: DbOrTx, id: string, at: Date): Promise<void> {
  await db.update(apiKeys).set({ lastUsedAt: at }).where(eq(apiKeys.id, id));
}

/** An organisation's keys, newest first (never the hash). */
export function listApiKeys(db: Db, orgId: string) {
  return db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      createdAt: apiKeys.createdAt,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .where(eq(apiKeys.orgId, orgId))
    .orderBy(desc(apiKeys.createdAt));
}

/** Revokes the organisation's key if still active; false when there was none. */
export async function revokeApiKey(db: DbOrTx, orgId: string, id: string, at: Date): Promise<boolean> {
  const rows = await db
    .update(apiKeys)
    .set({ revokedAt: at })
    .where(and(eq(apiKeys.id, id), eq(apiKeys.orgId, orgId), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  return rows.length > 0;
}

/** Every organisation with its user count, by kind then name. */
export function listOrgsWithUserCounts(db: Db) {
  return db
    .select({ id: orgs.id, name: orgs.name, kind: orgs.kind, users: count(users.id) })
    .from(orgs)
    .leftJoin(users, eq(users.orgId, orgs.id))
    .groupBy(orgs.id)
    .orderBy(asc(orgs.kind), asc(orgs.name));
}
