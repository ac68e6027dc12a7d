import { listOrgsWithUserCounts } from "@leadflow/db";
import { overviewFigures } from "../analytics/overview";
import { adminProcedure, router } from "../trpc";

export const adminRouter = router({
  /** Every organisation with its user count: the admin's view of who is on the platform. */
  orgs: adminProcedure.query(({ ctx }) => listOrgsWithUserCounts(ctx.db)),
  /** Today's and this week's figures with 14 days of sparkline, from the analytics pages' own queries. */
  overview: adminProcedure.query(({ ctx }) => overviewFigures(ctx.db, ctx.clock.now())),
});
