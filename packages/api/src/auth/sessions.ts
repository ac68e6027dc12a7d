import {
  deleteSession,
  getActiveApiKey,
  getSessionUser,
  getUserForLogin,
  insertApiKey,
  insertSession,
  insertUser,
  setApiKeyLastUsed,
  type Db,
} from "@leadflow/db";
import { ORG_KINDS, type Clock, type OrgKind, type UserRole } from "@leadflow/engine";
import { z } from "zod";
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

/** What GET /api/v1/me answers: whose key it is. */
export const apiCallerAnswerSchema = z.strictObject({
  orgId: z.guid().meta({ description: "Your organisation." }),
  orgKind: z.enum(ORG_KINDS).meta({ description: "seller keys send leads; network and contractor keys return them." }),
});

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
  const row = await insertUser(db, {
    orgId: input.orgId,
    email: input.email.toLowerCase(),
    name: input.name,
    role: input.role,
    passwordHash,
  });
  return { id: row.id };
}

export async function login(
  db: Db,
  clock: Clock,
  email: string,
  password: string,
): Promise<{ token: string; expiresAt: Date; user: SessionUser }> {
  const u = await getUserForLogin(db, email.trim().toLowerCase());
  // Spend the same time whether or not the email exists, so logins don't reveal accounts.
  const ok = u
    ? await verifyPassword(password, u.passwordHash)
    : (await verifyPassword(password, await dummyHash()), false);
  // A deactivated user gets the same answer as a wrong password: nothing tells the account exists.
  if (!u || !ok || u.deactivatedAt)
    throw new AppError("UNAUTHORIZED", "That email and password don't match an account. Check both and try again.");
  const token = newSessionToken();
  const expiresAt = new Date(clock.now().getTime() + SESSION_TTL_MS);
  await insertSession(db, { tokenHash: sha256Hex(token), userId: u.id, expiresAt, createdAt: clock.now() });
  const { passwordHash: _omit, deactivatedAt: _off, ...user } = u;
  return { token, expiresAt, user };
}

export async function userForSession(db: Db, clock: Clock, token: string | undefined): Promise<SessionUser | null> {
  if (!token) return null;
  const u = await getSessionUser(db, sha256Hex(token), clock.now());
  return u ?? null;
}

export async function logout(db: Db, token: string | undefined): Promise<void> {
  if (!token) return;
  await deleteSession(db, sha256Hex(token));
}

/** Creates an API key for an organisation. The returned key is shown once and never stored. */
export async function createApiKey(
  db: Db,
  orgId: string,
  name: string,
): Promise<{ id: string; key: string; prefix: string }> {
  const k = newApiKey();
  const row = await insertApiKey(db, { orgId, name, prefix: k.prefix, keyHash: k.hash });
  return { id: row.id, key: k.key, prefix: k.prefix };
}

/** How stale an API key's "last used" may be. */
export const LAST_USED_RESOLUTION_MS = 60_000;

export async function authenticateApiKey(db: Db, clock: Clock, key: string | undefined): Promise<ApiCaller | null> {
  if (!key || !key.startsWith("lf_") || key.length > 200) return null;
  const row = await getActiveApiKey(db, sha256Hex(key));
  if (!row) return null;
  // "Last used" is shown to the minute; writing it on every request would add a commit to each lead.
  const now = clock.now();
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    await setApiKeyLastUsed(db, row.keyId, now);
  }
  return { keyId: row.keyId, orgId: row.orgId, orgKind: row.orgKind };
}
