import { listOrgsWithUserCounts } from "@leadflow/db";
import { adminProcedure, router } from "../trpc";

export const adminRouter = router({
  /** Every organisation with its user count: the admin's view of who is on the platform. */
  orgs: adminProcedure.query(({ ctx }) => listOrgsWithUserCounts(ctx.db)),
});
