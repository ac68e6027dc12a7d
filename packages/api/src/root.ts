// The app's router: one line per domain router.
import { adminRouter } from "./routers/admin";
import { auditRouter } from "./routers/audit";
import { analyticsRouter } from "./routers/analytics";
import { apiKeysRouter } from "./routers/api-keys";
import { authRouter } from "./routers/auth";
import { leadsRouter } from "./routers/leads";
import { auctionInsightsRouter } from "./routers/auction-insights";
import { buyersRouter } from "./routers/buyers";
import { insightRouter } from "./routers/insight";
import { marketAdminRouter } from "./routers/market-admin";
import { marketDjRouter } from "./routers/market-dj";
import { djNotifyRouter } from "./routers/dj-notify";
import { marketPublicRouter } from "./routers/market-public";
import { returnsRouter } from "./routers/returns";
import { billingRouter } from "./routers/billing";
import { callsRouter } from "./routers/calls";
import { emailRouter } from "./routers/email";
import { searchRouter } from "./routers/search";
import { sellerPortalRouter } from "./routers/seller-portal";
import { sourcesRouter } from "./routers/sources";
import { sellerWebhooksRouter } from "./routers/seller-webhooks";
import { complianceRouter } from "./routers/compliance";
import { usersRouter } from "./routers/users";
import { createCallerFactory, router } from "./trpc";

export const appRouter = router({
  auth: authRouter,
  apiKeys: apiKeysRouter,
  admin: adminRouter,
  leads: leadsRouter,
  buyers: buyersRouter,
  auctionInsights: auctionInsightsRouter,
  insight: insightRouter,
  marketPublic: marketPublicRouter,
  marketDj: marketDjRouter,
  djNotify: djNotifyRouter,
  marketAdmin: marketAdminRouter,
  analytics: analyticsRouter,
  returns: returnsRouter,
  billing: billingRouter,
  calls: callsRouter,
  email: emailRouter,
  search: searchRouter,
  sources: sourcesRouter,
  sellerWebhooks: sellerWebhooksRouter,
  sellerPortal: sellerPortalRouter,
  audit: auditRouter,
  compliance: complianceRouter,
  users: usersRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
