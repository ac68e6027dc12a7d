// User management (docs/users.md). Every change here runs inside an `audited` transaction (the
// router wraps it), so a user's change, its revoked sessions and its audit entry commit together.
import {
  consumePasswordResetToken,
  countActiveAdminsLocked,
  deleteUserSessions,
  getOrgKind,
  getUserPasswordHash,
  getUserWithOrg,
  insertPasswordResetToken,
  insertUser,
  setUserDeactivatedAt,
  setUserPasswordHash,
  updateUserProfile,
  userEmailTaken,
  type DbOrTx,
} from "@leadflow/db";
import type { UserRole } from "@leadflow/engine";
import { randomBytes } from "node:crypto";
import type { SessionUser } from "../auth/sessions";
import { hashPassword, verifyPassword } from "../auth/password";
import { sha256Hex } from "../auth/tokens";
import type { Services } from "../context";
import { queueMail } from "../email/outbox";
import { AppError } from "../errors";
import { roleFitsOrg } from "./schemas";

/** How long an admin's reset link works. */
export const RESET_LINK_TTL_MS = 60 * 60 * 1000;
/** How long a new user's first "set your password" link works. */
export const INVITE_LINK_TTL_MS = 72 * 60 * 60 * 1000;

/** Stored for a user who has not chosen a password yet: not a scrypt hash, so nothing verifies. */
const NO_PASSWORD = "unset";

const LAST_ADMIN =
  "LeadFlow must keep at least one active admin. Add or reactivate another admin first, then try again.";

type Ctx = Services & { user: SessionUser | null; db: DbOrTx };

async function userOr404(db: DbOrTx, id: string) {
  const u = await getUserWithOrg(db, id);
  if (!u) throw new AppError("NOT_FOUND", "No such user.");
  return u;
}

function roleProblem(role: UserRole, kind: Parameters<typeof roleFitsOrg>[1]): AppError {
  const msg = `A ${kind} organisation's users can't have the role ${role}.`;
  return new AppError("BAD_REQUEST", msg, { role: [msg] });
}

/**
 * Writes a one-time link for the user into the email outbox (inside the caller's transaction) and
 * returns the email's id, for `startEmail` after the commit. The token is in the email only: the
 * database keeps its SHA-256, and the link carries it after `#`, so no server or proxy logs it.
 */
async function queueSetPasswordLink(ctx: Ctx, user: { id: string; email: string; orgId: string }, invite: boolean) {
  const token = randomBytes(32).toString("base64url");
  const now = ctx.clock.now();
  const ttl = invite ? INVITE_LINK_TTL_MS : RESET_LINK_TTL_MS;
  await insertPasswordResetToken(ctx.db, {
    userId: user.id,
    tokenHash: sha256Hex(token),
    createdBy: ctx.user?.id ?? null,
    createdAt: now,
    expiresAt: new Date(now.getTime() + ttl),
  });
  const link = `${ctx.publicUrl.replace(/\/+$/, "")}/reset-password#${token}`;
  const hours = Math.round(ttl / 3_600_000);
  const subject = invite ? "Your LeadFlow account: choose a password" : "Reset your LeadFlow password";
  const lead = invite
    ? "An admin created a LeadFlow account for you. Choose your password here:"
    : "An admin asked for a new password for your LeadFlow account. Choose it here:";
  const tail = `The link works once, for ${hours} hour${hours === 1 ? "" : "s"}. If you did not expect this email, ignore it.`;
  const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;");
  return queueMail(ctx, ctx.db, {
    kind: invite ? "user_invite" : "password_reset",
    to: user.email,
    orgId: user.orgId,
    subject,
    text: `${lead}\n\n${link}\n\n${tail}\n`,
    html: `<p>${esc(lead)}</p><p><a href="${esc(link)}">Choose a password</a></p><p>${esc(tail)}</p>`,
  });
}

export async function createUserByAdmin(
  ctx: Ctx,
  input: { orgId: string; email: string; name: string; role: UserRole },
): Promise<{ id: string; emailId: string }> {
  const kind = await getOrgKind(ctx.db, input.orgId);
  if (!kind) throw new AppError("NOT_FOUND", "No such organisation.", { orgId: ["No such organisation."] });
  if (!roleFitsOrg(input.role, kind)) throw roleProblem(input.role, kind);
  const email = input.email.trim().toLowerCase();
  if (await userEmailTaken(ctx.db, email)) {
    const msg = "Someone already signs in with this email.";
    throw new AppError("CONFLICT", msg, { email: [msg] });
  }
  const row = await insertUser(ctx.db, {
    orgId: input.orgId,
    email,
    name: input.name,
    role: input.role,
    passwordHash: NO_PASSWORD,
    createdAt: ctx.clock.now(),
  });
  const emailId = await queueSetPasswordLink(ctx, { id: row.id, email, orgId: input.orgId }, true);
  return { id: row.id, emailId };
}

export async function updateUserByAdmin(ctx: Ctx, input: { id: string; name: string; role: UserRole }) {
  const u = await userOr404(ctx.db, input.id);
  if (!roleFitsOrg(input.role, u.orgKind)) throw roleProblem(input.role, u.orgKind);
  if (u.role === "admin" && input.role !== "admin" && !u.deactivatedAt && (await countActiveAdminsLocked(ctx.db)) <= 1)
    throw new AppError("PRECONDITION_FAILED", LAST_ADMIN);
  await updateUserProfile(ctx.db, u.id, { name: input.name, role: input.role });
  return { ok: true as const };
}

/** Deactivates the user and ends every session of theirs, in the caller's transaction. */
export async function deactivateUser(ctx: Ctx, id: string) {
  const u = await userOr404(ctx.db, id);
  if (u.deactivatedAt) return { ok: true as const, sessionsEnded: 0 };
  if (u.role === "admin" && (await countActiveAdminsLocked(ctx.db)) <= 1)
    throw new AppError("PRECONDITION_FAILED", LAST_ADMIN);
  await setUserDeactivatedAt(ctx.db, u.id, ctx.clock.now());
  const sessionsEnded = await deleteUserSessions(ctx.db, u.id);
  return { ok: true as const, sessionsEnded };
}

export async function reactivateUser(ctx: Ctx, id: string) {
  const u = await userOr404(ctx.db, id);
  if (u.deactivatedAt) await setUserDeactivatedAt(ctx.db, u.id, null);
  return { ok: true as const };
}

export async function sendPasswordReset(ctx: Ctx, id: string): Promise<{ emailId: string }> {
  const u = await userOr404(ctx.db, id);
  if (u.deactivatedAt)
    throw new AppError("PRECONDITION_FAILED", "This user is deactivated. Reactivate them first, then send the link.");
  return { emailId: await queueSetPasswordLink(ctx, u, false) };
}

const BAD_LINK = "This link has expired or was already used. Ask an admin for a new one.";

/** Sets a new password from a one-time link; every session of the user ends. */
export async function resetPasswordWithToken(ctx: Ctx, token: string, password: string) {
  const userId = await consumePasswordResetToken(ctx.db, sha256Hex(token), ctx.clock.now());
  if (!userId) throw new AppError("BAD_REQUEST", BAD_LINK, { token: [BAD_LINK] });
  const u = await getUserWithOrg(ctx.db, userId);
  if (!u || u.deactivatedAt) throw new AppError("BAD_REQUEST", BAD_LINK, { token: [BAD_LINK] });
  await setUserPasswordHash(ctx.db, userId, await hashPassword(password));
  await deleteUserSessions(ctx.db, userId);
  return { ok: true as const };
}

/** The caller changes their own password; their other sessions end, this one stays. */
export async function changeOwnPassword(
  ctx: Ctx & { user: SessionUser; sessionToken?: string },
  input: { currentPassword: string; newPassword: string },
) {
  const stored = await getUserPasswordHash(ctx.db, ctx.user.id);
  if (!stored || !(await verifyPassword(input.currentPassword, stored))) {
    const msg = "That is not your current password.";
    throw new AppError("BAD_REQUEST", msg, { currentPassword: [msg] });
  }
  if (input.newPassword === input.currentPassword) {
    const msg = "Choose a password different from the current one.";
    throw new AppError("BAD_REQUEST", msg, { newPassword: [msg] });
  }
  await setUserPasswordHash(ctx.db, ctx.user.id, await hashPassword(input.newPassword));
  const sessionsEnded = await deleteUserSessions(
    ctx.db,
    ctx.user.id,
    ctx.sessionToken ? sha256Hex(ctx.sessionToken) : undefined,
  );
  return { ok: true as const, sessionsEnded };
}
