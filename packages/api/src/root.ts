// The app's router: one line per domain router.
import { adminRouter } from "./routers/admin";
import { apiKeysRouter } from "./routers/api-keys";
import { authRouter } from "./routers/auth";
import { createCallerFactory, router } from "./trpc";

export const appRouter = router({
  auth: authRouter,
  apiKeys: apiKeysRouter,
  admin: adminRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
