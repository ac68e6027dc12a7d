// The `audit` router: the audit log (packages/api/src/audit). An admin browses every entry; any
// other signed-in user sees the entries about its own organisation or made by it.
import { listAuditActions, listAuditEntries, AUDIT_ENTITIES } from "@leadflow/db";
import { z } from "zod";
import { authedProcedure, router } from "../trpc";

const day = z.iso.date("Use a date like 2026-03-02.");

const listInput = z
  .strictObject({
    entityType: z.enum(AUDIT_ENTITIES).optional(),
    entityId: z.string().trim().max(80).optional(),
    actor: z.string().trim().max(254).optional(),
    action: z.string().trim().max(80).optional(),
    /** Inclusive first and last day (UTC). */
    from: day.optional(),
    to: day.optional(),
    cursor: z.string().max(80).optional(),
    limit: z.number().int().min(1).max(200).default(50),
  })
  .prefault({});

export const auditRouter = router({
  list: authedProcedure.input(listInput).query(async ({ ctx, input }) => {
    const admin = ctx.user.role === "admin";
    const to = input.to ? new Date(Date.parse(`${input.to}T00:00:00Z`) + 86_400_000) : undefined;
    const page = await listAuditEntries(ctx.db, {
      orgId: admin ? null : ctx.user.orgId,
      entityType: input.entityType,
      entityId: input.entityId || undefined,
      actor: input.actor || undefined,
      action: input.action || undefined,
      from: input.from ? new Date(`${input.from}T00:00:00Z`) : undefined,
      to,
      cursor: input.cursor,
      limit: input.limit,
    });
    return {
      next: page.next,
      rows: page.rows.map((r) => ({
        id: r.id,
        at: r.at,
        // Outside the admin's view, another organisation's people are named by their role only.
        actorEmail: admin || r.actorOrgId === ctx.user.orgId ? r.actorEmail : null,
        actorRole: r.actorRole,
        ip: admin || r.actorOrgId === ctx.user.orgId ? r.ip : null,
        entityType: r.entityType,
        entityId: r.entityId,
        action: r.action,
        changed: r.changed,
        before: r.before,
        after: r.after,
      })),
    };
  }),
  actions: authedProcedure.query(({ ctx }) =>
    listAuditActions(ctx.db, ctx.user.role === "admin" ? null : ctx.user.orgId),
  ),
});
