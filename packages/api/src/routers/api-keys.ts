import { listApiKeys, revokeApiKey } from "@leadflow/db";
import { z } from "zod";
import { createApiKey, forgetApiKey } from "../auth/sessions";
import { audited, createdId } from "../audit";
import { AppError } from "../errors";
import { roleProcedure, router } from "../trpc";

// Admins and lead sellers manage their own organisation's keys; nobody sees another's.
const keyOwner = roleProcedure("admin", "seller", "network", "contractor");

export const apiKeysRouter = router({
  list: keyOwner.query(({ ctx }) => listApiKeys(ctx.db, ctx.user.orgId)),
  /** Returns the key once. It is stored only as a hash. */
  create: keyOwner
    .input(
      z.object({ name: z.string().trim().min(1, "Give the key a name, e.g. the system that will use it.").max(80) }),
    )
    .mutation(
      audited({ entity: "api_key", id: createdId }, ({ ctx, input }) =>
        createApiKey(ctx.db, ctx.user.orgId, input.name),
      ),
    ),
  revoke: keyOwner.input(z.object({ id: z.uuid() })).mutation(
    audited({ entity: "api_key", id: (input) => input.id }, async ({ ctx, input }) => {
      const revoked = await revokeApiKey(ctx.db, ctx.user.orgId, input.id, ctx.clock.now());
      if (revoked) forgetApiKey(input.id); // refused from the next request on, not when the cache expires
      if (!revoked) throw new AppError("NOT_FOUND", "No active key with that id in your organisation.");
      return { ok: true as const };
    }),
  ),
});
