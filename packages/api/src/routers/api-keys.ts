import { apiKeys } from "@leadflow/db";
import { and, desc, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { createApiKey } from "../auth/sessions";
import { AppError } from "../errors";
import { roleProcedure, router } from "../trpc";

// Admins and lead sellers manage their own organisation's keys; nobody sees another's.
const keyOwner = roleProcedure("admin", "seller", "network", "contractor");

export const apiKeysRouter = router({
  list: keyOwner.query(({ ctx }) =>
    ctx.db
      .select({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix, createdAt: apiKeys.createdAt, lastUsedAt: apiKeys.lastUsedAt, revokedAt: apiKeys.revokedAt })
      .from(apiKeys)
      .where(eq(apiKeys.orgId, ctx.user.orgId))
      .orderBy(desc(apiKeys.createdAt)),
  ),
  /** Returns the key once. It is stored only as a hash. */
  create: keyOwner
    .input(z.object({ name: z.string().trim().min(1, "Give the key a name, e.g. the system that will use it.").max(80) }))
    .mutation(({ ctx, input }) => createApiKey(ctx.db, ctx.user.orgId, input.name)),
  revoke: keyOwner.input(z.object({ id: z.uuid() })).mutation(async ({ ctx, input }) => {
    const rows = await ctx.db
      .update(apiKeys)
      .set({ revokedAt: ctx.clock.now() })
      .where(and(eq(apiKeys.id, input.id), eq(apiKeys.orgId, ctx.user.orgId), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id });
    if (rows.length === 0) throw new AppError("NOT_FOUND", "No active key with that id in your organisation.");
    return { ok: true as const };
  }),
});
