import fastifyCookie from "@fastify/cookie";
import fastifyFormbody from "@fastify/formbody";
import fastifyStatic from "@fastify/static";
import { appRouter, AppError, createContextInner, HTTP_STATUS, userForSession, type AppRouter, type Services } from "@leadflow/api";
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from "@trpc/server/adapters/fastify";
import { sql } from "drizzle-orm";
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from "fastify";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { DEFAULT_RATE_LIMITS, registerRateLimits, type RateLimitSettings } from "./rate-limits";
import { restV1 } from "./rest/v1";

export const SESSION_COOKIE = "lf_session";

export interface AppOptions {
  services: Services;
  /** Built dashboard to serve at /. */
  dashboardDir?: string;
  cookieSecure?: boolean;
  rateLimits?: RateLimitSettings;
}

export const defaultDashboardDir = fileURLToPath(new URL("../../dashboard/dist", import.meta.url));

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const { services } = opts;
  const app = Fastify({
    loggerInstance: services.log as FastifyBaseLogger,
    // Per-request logs cost time on the auction path; we log decisions, not requests.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
    trustProxy: true,
  });
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody);
  await registerRateLimits(app, opts.rateLimits ?? DEFAULT_RATE_LIMITS);

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
