// User management (docs/users.md): the platform's admins list, create, edit, deactivate and
// reactivate users of every organisation and send them a password link; anyone with a link sets a
// new password. Every change is audited (entity "user") in the change's own transaction.
import { listUsers, peekPasswordResetToken } from "@leadflow/db";
import { USER_ROLES } from "@leadflow/engine";
import { z } from "zod";
import { sha256Hex } from "../auth/tokens";
import { audited, createdId, markAudited } from "../audit";
import type { Context } from "../context";
import { startEmail } from "../email/outbox";
import {
  createUserByAdmin,
  deactivateUser,
  reactivateUser,
  resetPasswordWithToken,
  sendPasswordReset,
  updateUserByAdmin,
} from "../users/service";
import { resetPasswordSchema, userCreateSchema, userUpdateSchema } from "../users/schemas";
import { adminProcedure, publicProcedure, router } from "../trpc";

/**
 * After an audited change that queued an email commits, hand the email to the delivery queue (a
 * start lost here is found by the outbox sweep). Keeps the audited mark for the coverage test.
 */
function thenStartEmail<O extends { ctx: Context }, R extends { emailId: string }>(
  fn: (opts: O) => Promise<R>,
): (opts: O) => Promise<Omit<R, "emailId">> {
  const wrapped = async (opts: O) => {
    const { emailId, ...rest } = await fn(opts);
    await startEmail(opts.ctx, emailId);
    return rest;
  };
  return markAudited(wrapped, "user");
}

const byId = z.object({ id: z.uuid("That is not a user id.") });

export const usersRouter = router({
  /** Users of every organisation, filtered by organisation, role and whether active. */
  list: adminProcedure
    .input(
      z
        .object({
          orgId: z.uuid().optional(),
          role: z.enum(USER_ROLES).optional(),
          active: z.boolean().optional(),
        })
        .prefault({}),
    )
    .query(({ ctx, input }) => listUsers(ctx.db, input)),
  /** A new user gets an email with a one-time link to choose their password. */
  create: adminProcedure
    .input(userCreateSchema)
    .mutation(
      thenStartEmail(audited({ entity: "user", id: createdId }, ({ ctx, input }) => createUserByAdmin(ctx, input))),
    ),
  update: adminProcedure
    .input(userUpdateSchema)
    .mutation(audited({ entity: "user", id: (input) => input.id }, ({ ctx, input }) => updateUserByAdmin(ctx, input))),
  /** Signs the user out everywhere at once and refuses their sign-ins until reactivated. */
  deactivate: adminProcedure
    .input(byId)
    .mutation(audited({ entity: "user", id: (input) => input.id }, ({ ctx, input }) => deactivateUser(ctx, input.id))),
  reactivate: adminProcedure
    .input(byId)
    .mutation(audited({ entity: "user", id: (input) => input.id }, ({ ctx, input }) => reactivateUser(ctx, input.id))),
  /** Emails the user a one-time link (1 hour) to choose a new password. The link is never shown here. */
  sendPasswordReset: adminProcedure.input(byId).mutation(
    thenStartEmail(
      audited({ entity: "user", id: (input) => input.id }, async ({ ctx, input }) => ({
        ok: true as const,
        ...(await sendPasswordReset(ctx, input.id)),
      })),
    ),
  ),
  /** The page behind the link: sets the password, uses the link up and ends every session. */
  resetPassword: publicProcedure.input(resetPasswordSchema).mutation(
    audited(
      {
        entity: "user",
        id: (input, ctx) => peekPasswordResetToken(ctx.db, sha256Hex(input.token), ctx.clock.now()),
      },
      ({ ctx, input }) => resetPasswordWithToken(ctx, input.token, input.password),
    ),
  ),
});
