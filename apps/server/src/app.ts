import fastifyCookie from "@fastify/cookie";
import fastifyFormbody from "@fastify/formbody";
import fastifyStatic from "@fastify/static";
import { appRouter, AppError, createContextInner, HTTP_STATUS, userForSession, type AppRouter, type Services } from "@leadflow/api";
import { UNSTORABLE_MESSAGE, unstorableTextPath } from "@leadflow/api/input-guard";
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from "@trpc/server/adapters/fastify";
import { sql } from "drizzle-orm";
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from "fastify";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { DEFAULT_RATE_LIMITS, registerRateLimits, type RateLimitSettings } from "./rate-limits";
import { restV1 } from "./rest/v1";
import { callsRoutes } from "./rest/calls";
import type { CallSettings } from "@leadflow/api/calls/index";

export const SESSION_COOKIE = "lf_session";

export interface AppOptions {
  services: Services;
  /** Built dashboard to serve at /. */
  dashboardDir?: string;
  cookieSecure?: boolean;
  rateLimits?: RateLimitSettings;
  /** Which proxies' X-Forwarded-For to believe (TRUST_PROXY); default the loopback address. */
  trustProxy?: boolean | string;
  /** Call tracking (docs/calls.md); without it the call webhook answers 503. */
  calls?: CallSettings | null;
}

export const defaultDashboardDir = fileURLToPath(new URL("../../dashboard/dist", import.meta.url));

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const { services } = opts;
  const app = Fastify({
    loggerInstance: services.log as FastifyBaseLogger,
    // Per-request logs cost time on the auction path; we log decisions, not requests.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
    // Only a trusted proxy may say who the client is; anyone else's X-Forwarded-For is ignored,
    // or a forged header would reset the per-address rate limits.
    trustProxy: opts.trustProxy ?? "loopback",
  });
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody);
  await registerRateLimits(app, opts.rateLimits ?? DEFAULT_RATE_LIMITS);
  // Text the database can't store (NUL, broken unicode) is a 400 here, not a 500 later; tRPC
  // inputs are checked the same way in packages/api/src/trpc.ts.
  app.addHook("preHandler", async (req) => {
    if (req.url.startsWith("/trpc/")) return;
    const field = unstorableTextPath(req.body) ?? unstorableTextPath(req.query, ["query"]) ?? unstorableTextPath(req.params, ["params"]);
    if (field) throw new AppError("BAD_REQUEST", `${field} ${UNSTORABLE_MESSAGE}.`, { [field]: [UNSTORABLE_MESSAGE] });
  });

  // One place maps errors to HTTP: domain errors keep their code and message, zod errors list
  // the fields, and anything else is a 500 with no internals in it.
  app.setErrorHandler((err, req, reply) => {
    if (err instanceof AppError) {
      return reply.status(HTTP_STATUS[err.code]).send({ error: err.code, message: err.message, fieldErrors: err.fieldErrors });
    }
    if (err instanceof z.ZodError) {
      return reply.status(400).send({ error: "BAD_REQUEST", message: "The request body is not valid.", issues: z.flattenError(err) });
    }
    const e = err as { statusCode?: number; code?: string; message?: string };
    if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
      return reply.status(e.statusCode).send({ error: e.code ?? "BAD_REQUEST", message: e.message });
    }
    req.log.error({ err }, "request failed");
    return reply.status(500).send({ error: "INTERNAL", message: "Something went wrong on our side. Try again later." });
  });

  app.get("/healthz", async (_req, reply) => {
    try {
      await services.db.execute(sql`select 1`);
      return { ok: true, db: services.handle?.kind ?? "unknown" };
    } catch {
      return reply.status(503).send({ ok: false });
    }
  });

  await app.register(fastifyTRPCPlugin, {
    prefix: "/trpc",
    trpcOptions: {
      router: appRouter,
      async createContext({ req, res }) {
        const token = req.cookies[SESSION_COOKIE];
        const user = await userForSession(services.db, services.clock, token);
        return createContextInner({
          ...services,
          user,
          sessionToken: token,
          ip: req.ip,
          setSessionCookie(value, expiresAt) {
            if (value === null) {
              void res.clearCookie(SESSION_COOKIE, { path: "/" });
            } else {
              void res.setCookie(SESSION_COOKIE, value, {
                path: "/",
                httpOnly: true,
                sameSite: "lax",
                secure: opts.cookieSecure ?? false,
                expires: expiresAt,
              });
            }
          },
        });
      },
      onError({ error, path }) {
        if (error.code === "INTERNAL_SERVER_ERROR") services.log.error({ err: error, path }, "trpc error");
      },
    } satisfies FastifyTRPCPluginOptions<AppRouter>["trpcOptions"],
  });

  await app.register(restV1(services), { prefix: "/api/v1" });
  await app.register(callsRoutes(services, opts.calls ?? null), { prefix: "/api/calls" });

  const dashboardDir = opts.dashboardDir ?? defaultDashboardDir;
  if (existsSync(dashboardDir)) {
    await app.register(fastifyStatic, { root: dashboardDir, wildcard: false });
    // The dashboard routes on the client: any other GET that wants HTML gets index.html.
    app.setNotFoundHandler((req, reply) => {
      if (req.method === "GET" && !req.url.startsWith("/api/") && !req.url.startsWith("/trpc/")) {
        return reply.sendFile("index.html");
      }
      return reply.status(404).send({ error: "NOT_FOUND", message: `No route ${req.method} ${req.url.split("?")[0]}` });
    });
  } else {
    app.setNotFoundHandler((req, reply) =>
      reply.status(404).send({ error: "NOT_FOUND", message: `No route ${req.method} ${req.url.split("?")[0]}` }),
    );
  }
  return app;
}
