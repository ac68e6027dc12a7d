import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { apiKeys, orgs, sessions, users, type Db } from "@leadflow/db";
import type { Clock, OrgKind, UserRole } from "@leadflow/engine";
import { AppError } from "../errors";
import { dummyHash, hashPassword, verifyPassword } from "./password";
import { newApiKey, newSessionToken, sha256Hex } from "./tokens";

export const SESSION_TTL_MS = 7 * 24 * 3600 * 1000;

/** Who is calling: the user behind a session cookie. Every query is scoped by orgId. */
export interface SessionUser {
  id: string;
  orgId: string;
  orgKind: OrgKind;
  orgName: string;
  email: string;
  name: string;
  role: UserRole;
}

/** A machine caller: the organisation behind an API key. */
export interface ApiCaller {
  keyId: string;
  orgId: string;
  orgKind: OrgKind;
}

export async function createUser(
  db: Db,
  input: { orgId: string; email: string; name: string; role: UserRole; password: string },
): Promise<{ id: string }> {
  const passwordHash = await hashPassword(input.password);
  const [row] = await db
    .insert(users)
    .values({ orgId: input.orgId, email: input.email.toLowerCase(), name: input.name, role: input.role, passwordHash })
    .returning({ id: users.id });
  return row!;
}

export async function login(
  db: Db,
  clock: Clock,
  email: string,
  password: string,
): Promise<{ token: string; expiresAt: Date; user: SessionUser }> {
  const [u] = await db
    .select({
      id: users.id,
      orgId: users.orgId,
      email: users.email,
      name: users.name,
      role: users.role,
      passwordHash: users.passwordHash,
      orgKind: orgs.kind,
      orgName: orgs.name,
    })
    .from(users)
    .innerJoin(orgs, eq(orgs.id, users.orgId))
    .where(eq(sql`lower(${users.email})`, email.trim().toLowerCase()))
    .limit(1);
  // Spend the same time whether or not the email exists, so logins don't reveal accounts.
  const ok = u ? await verifyPassword(password, u.passwordHash) : (await verifyPassword(password, await dummyHash()), false);
  if (!u || !ok) throw new AppError("UNAUTHORIZED", "That email and password don't match an account. Check both and try again.");
  const token = newSessionToken();
  const expiresAt = new Date(clock.now().getTime() + SESSION_TTL_MS);
  await db.insert(sessions).values({ tokenHash: sha256Hex(token), userId: u.id, expiresAt, createdAt: clock.now() });
  const { passwordHash: _omit, ...user } = u;
  return { token, expiresAt, user };
}

export async function userForSession(db: Db, clock: Clock, token: string | undefined): Promise<SessionUser | null> {
  if (!token) return null;
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
    .where(and(eq(sessions.tokenHash, sha256Hex(token)), gt(sessions.expiresAt, clock.now())))
    .limit(1);
  return u ?? null;
}

export async function logout(db: Db, token: string | undefined): Promise<void> {
  if (!token) return;
  await db.delete(sessions).where(eq(sessions.tokenHash, sha256Hex(token)));
}

/** Creates an API key for an organisation. The returned key is shown once and never stored. */
export async function createApiKey(db: Db, orgId: string, name: string): Promise<{ id: string; key: string; prefix: string }> {
  const k = newApiKey();
  const [row] = await db.insert(apiKeys).values({ orgId, name, prefix: k.prefix, keyHash: k.hash }).returning({ id: apiKeys.id });
  return { id: row!.id, key: k.key, prefix: k.prefix };
}

/** How stale an API key's "last used" may be. */
export const LAST_USED_RESOLUTION_MS = 60_000;

export async function authenticateApiKey(db: Db, clock: Clock, key: string | undefined): Promise<ApiCaller | null> {
  if (!key || !key.startsWith("lf_") || key.length > 200) return null;
  const [row] = await db
    .select({ keyId: apiKeys.id, orgId: apiKeys.orgId, orgKind: orgs.kind, lastUsedAt: apiKeys.lastUsedAt })
    .from(apiKeys)
    .innerJoin(orgs, eq(orgs.id, apiKeys.orgId))
    .where(and(eq(apiKeys.keyHash, sha256Hex(key)), isNull(apiKeys.revokedAt)))
    .limit(1);
  if (!row) return null;
  // "Last used" is shown to the minute; writing it on every request would add a commit to each lead.
  const now = clock.now();
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    await db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, row.keyId));
  }
  return { keyId: row.keyId, orgId: row.orgId, orgKind: row.orgKind };
}
