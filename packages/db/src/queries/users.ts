// User management (docs/users.md): the admin's list of users, their changes, deactivation with
// every session revoked, the last-admin count, and the one-time password links.
import { and, asc, eq, gt, isNotNull, isNull, ne, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { orgs, passwordResetTokens, sessions, users } from "../schema";

export interface UserListQuery {
  orgId?: string;
  role?: string;
  /** true: active users only; false: deactivated only; absent: both. */
  active?: boolean;
}

/** Users with their organisation, by organisation then email (never the password hash). */
export function listUsers(db: DbOrTx, q: UserListQuery) {
  const where: (SQL | undefined)[] = [];
  if (q.orgId) where.push(eq(users.orgId, q.orgId));
  if (q.role) where.push(sql`${users.role} = ${q.role}`);
  if (q.active === true) where.push(isNull(users.deactivatedAt));
  if (q.active === false) where.push(isNotNull(users.deactivatedAt));
  return db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      orgId: users.orgId,
      orgName: orgs.name,
      orgKind: orgs.kind,
      createdAt: users.createdAt,
      deactivatedAt: users.deactivatedAt,
    })
    .from(users)
    .innerJoin(orgs, eq(orgs.id, users.orgId))
    .where(and(...where))
    .orderBy(asc(orgs.name), asc(users.email))
    .limit(1000);
}

/** One user with their organisation's kind (never the password hash), or undefined. */
export async function getUserWithOrg(db: DbOrTx, id: string) {
  const [u] = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      orgId: users.orgId,
      orgKind: orgs.kind,
      deactivatedAt: users.deactivatedAt,
    })
    .from(users)
    .innerJoin(orgs, eq(orgs.id, users.orgId))
    .where(eq(users.id, id));
  return u;
}

export async function getOrgKind(db: DbOrTx, orgId: string) {
  const [o] = await db.select({ kind: orgs.kind }).from(orgs).where(eq(orgs.id, orgId));
  return o?.kind;
}

/** Whether an email is taken (case-insensitive). */
export async function userEmailTaken(db: DbOrTx, email: string): Promise<boolean> {
  const [u] = await db
    .select({ id: users.id })
    .from(users)
    .where(eq(sql`lower(${users.email})`, email.toLowerCase()));
  return !!u;
}

export async function updateUserProfile(
  db: DbOrTx,
  id: string,
  values: { name: string; role: (typeof users.$inferSelect)["role"] },
): Promise<boolean> {
  const rows = await db.update(users).set(values).where(eq(users.id, id)).returning({ id: users.id });
  return rows.length > 0;
}

export async function setUserDeactivatedAt(db: DbOrTx, id: string, at: Date | null): Promise<boolean> {
  const rows = await db.update(users).set({ deactivatedAt: at }).where(eq(users.id, id)).returning({ id: users.id });
  return rows.length > 0;
}

export async function setUserPasswordHash(db: DbOrTx, id: string, passwordHash: string): Promise<void> {
  await db.update(users).set({ passwordHash }).where(eq(users.id, id));
}

/** The stored hash, for checking a user's current password. */
export async function getUserPasswordHash(db: DbOrTx, id: string): Promise<string | undefined> {
  const [u] = await db.select({ h: users.passwordHash }).from(users).where(eq(users.id, id));
  return u?.h;
}

/** Ends every session of the user, but the one whose hash is `keepTokenHash`; returns how many. */
export async function deleteUserSessions(db: DbOrTx, userId: string, keepTokenHash?: string): Promise<number> {
  const gone = await db
    .delete(sessions)
    .where(and(eq(sessions.userId, userId), keepTokenHash ? ne(sessions.tokenHash, keepTokenHash) : undefined))
    .returning({ id: sessions.id });
  return gone.length;
}

/**
 * Active platform admins, counted under a transaction-scoped advisory lock, so two admins who
 * deactivate each other at once cannot both pass the "not the last admin" check.
 */
export async function countActiveAdminsLocked(tx: DbOrTx): Promise<number> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('users:last-admin'))`);
  const [r] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .where(and(eq(users.role, "admin"), isNull(users.deactivatedAt)));
  return r?.n ?? 0;
}

export async function insertPasswordResetToken(
  db: DbOrTx,
  values: typeof passwordResetTokens.$inferInsert,
): Promise<void> {
  await db.insert(passwordResetTokens).values(values);
}

/** The user an unused, unexpired link belongs to (it is not used up here). */
export async function peekPasswordResetToken(db: DbOrTx, tokenHash: string, now: Date): Promise<string | undefined> {
  const [r] = await db
    .select({ userId: passwordResetTokens.userId })
    .from(passwordResetTokens)
    .where(
      and(
        eq(passwordResetTokens.tokenHash, tokenHash),
        isNull(passwordResetTokens.usedAt),
        gt(passwordResetTokens.expiresAt, now),
      ),
    );
  return r?.userId;
}

/**
 * Uses the link up: one UPDATE that only an unused, unexpired link passes, so of two concurrent
 * uses exactly one gets the user id. Every other open link of that user is used up with it.
 */
export async function consumePasswordResetToken(db: DbOrTx, tokenHash: string, now: Date): Promise<string | undefined> {
  const [r] = await db
    .update(passwordResetTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(passwordResetTokens.tokenHash, tokenHash),
        isNull(passwordResetTokens.usedAt),
        gt(passwordResetTokens.expiresAt, now),
      ),
    )
    .returning({ userId: passwordResetTokens.userId });
  if (!r) return undefined;
  await db
    .update(passwordResetTokens)
    .set({ usedAt: now })
    .where(and(eq(passwordResetTokens.userId, r.userId), isNull(passwordResetTokens.usedAt)));
  return r.userId;
}

/** When the user's latest link was issued (the audit snapshot shows it, never the token). */
export async function latestPasswordResetAt(db: DbOrTx, userId: string): Promise<Date | null> {
  const [r] = await db
    .select({ at: sql<Date | null>`max(${passwordResetTokens.createdAt})` })
    .from(passwordResetTokens)
    .where(eq(passwordResetTokens.userId, userId));
  return r?.at ? new Date(r.at) : null;
}
