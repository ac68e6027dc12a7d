import { orgs, users } from "@leadflow/db";
import { asc, count, eq } from "drizzle-orm";
import { adminProcedure, router } from "../trpc";

export const adminRouter = router({
  /** Every organisation with its user count: the admin's view of who is on the platform. */
  orgs: adminProcedure.query(({ ctx }) =>
    ctx.db
      .select({ id: orgs.id, name: orgs.name, kind: orgs.kind, users: count(users.id) })
      .from(orgs)
      .leftJoin(users, eq(users.orgId, orgs.id))
      .groupBy(orgs.id)
      .orderBy(asc(orgs.kind), asc(orgs.name)),
  ),
});
