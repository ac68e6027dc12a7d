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

/**
 * How long this process reuses a key's lookup (real time). A key revoked through this process is
 * refused at once (forgetApiKey); one revoked through another process is refused here within this.
 */
export const API_KEY_CACHE_MS = 5_000;
const MAX_CACHED_KEYS = 10_000;

interface CachedKey {
  db: Db;
  row: { keyId: string; orgId: string; orgKind: OrgKind; lastUsedAt: Date | null };
  until: number;
}
// By the key's SHA-256 (never the key). Only keys found active are kept: an unknown key is looked
// up every time, so a key created anywhere works at once.
const keyCache = new Map<string, CachedKey>();
/**
 * Keys revoked through this process, refused whatever a lookup says for REVOKING_MS: the revoke
 * runs in its caller's transaction, and a lookup made before that commits still finds the key.
 */
const revoking = new Map<string, number>();
const REVOKING_MS = 60_000;

/** A key is being revoked: refused by this process from the next request on. */
export function forgetApiKey(keyId: string): void {
  const now = Date.now();
  for (const [id, until] of revoking) if (until <= now) revoking.delete(id);
  revoking.set(keyId, now + REVOKING_MS);
  for (const [hash, c] of keyCache) if (c.row.keyId === keyId) keyCache.delete(hash);
}

/**
 * The caller behind an API key, or null. A seller's ping and post each present one: the lookup is
 * kept for API_KEY_CACHE_MS so that a lead costs no round trip for it (keyed by the key's hash).
 */
export async function authenticateApiKey(db: Db, clock: Clock, key: string | undefined): Promise<ApiCaller | null> {
  if (!key || !key.startsWith("lf_") || key.length > 200) return null;
  const hash = sha256Hex(key);
  const hit = keyCache.get(hash);
  let row: CachedKey["row"];
  if (hit && hit.db === db && hit.until > Date.now()) row = hit.row;
  else {
    const found = await getActiveApiKey(db, hash);
    if (!found) {
      keyCache.delete(hash);
      return null;
    }
    row = { keyId: found.keyId, orgId: found.orgId, orgKind: found.orgKind, lastUsedAt: found.lastUsedAt };
    if (keyCache.size >= MAX_CACHED_KEYS) keyCache.clear();
    keyCache.set(hash, { db, row, until: Date.now() + API_KEY_CACHE_MS });
  }
  const until = revoking.get(row.keyId);
  if (until !== undefined && until > Date.now()) {
    keyCache.delete(hash);
    return null;
  }
  // "Last used" is shown to the minute; writing it on every request would add a commit to each lead.
  const now = clock.now();
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
    row.lastUsedAt = now; // requests arriving meanwhile do not write it again
    await setApiKeyLastUsed(db, row.keyId, now);
  }
  return { keyId: row.keyId, orgId: row.orgId, orgKind: row.orgKind };
}
