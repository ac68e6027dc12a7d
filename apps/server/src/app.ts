import fastifyCookie from "@fastify/cookie";
import fastifyFormbody from "@fastify/formbody";
import fastifyStatic from "@fastify/static";
import {
  AppError,
  type ApiErrorBody,
  appRouter,
  type AppRouter,
  type CallSettings,
  createContextInner,
  HTTP_STATUS,
  renderCalendarFeed,
  type Services,
  UNSTORABLE_MESSAGE,
  unstorableTextPath,
  userForSession,
} from "@leadflow/api";
import { isDatabaseUnavailable, pingDatabase, RETRY_AFTER_SECONDS } from "@leadflow/db";
import { fastifyTRPCPlugin, type FastifyTRPCPluginOptions } from "@trpc/server/adapters/fastify";
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from "fastify";
import { existsSync } from "node:fs";
import { relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { registerCsrfGuard } from "./csrf";
import { BODY_LIMIT, ERROR_CODES, SERVER_ERROR_CODES } from "./http-codes";
import { DEFAULT_RATE_LIMITS, registerRateLimits, type RateLimitSettings } from "./rate-limits";
import { throttledWarn } from "./log";
import { restV1 } from "./rest/v1";
import { callsRoutes } from "./rest/calls";
import { LiveHub, registerLiveRoute } from "./live";
import { registerBuyerStatements } from "./buyer-statements";
import { registerSellerExports } from "./seller-exports";
import { registerComplianceUploads } from "./compliance-uploads";

export const SESSION_COOKIE = "lf_session";
export { BODY_LIMIT } from "./http-codes";

export interface AppOptions {
  services: Services;
  /** `services` on the auction's own pool: the sellers' /ping, /post and /leads use it. Default: `services`. */
  auctionServices?: Services;
  /** Built dashboard to serve at /. */
  dashboardDir?: string;
  cookieSecure?: boolean;
  rateLimits?: RateLimitSettings;
  /** Which proxies' X-Forwarded-For to believe (TRUST_PROXY); default none. */
  trustProxy?: boolean | string;
  /** Call tracking (docs/calls.md); without it the call webhook answers 503. */
  calls?: CallSettings | null;
}

/**
 * The database is away (a failover, a pooler restart): nothing is wrong with the request, so it is
 * a 503 that says when to try again, in the documented error shape (docs/api.md).
 */
function unavailable(reply: FastifyReply, body: Record<string, unknown> = {}) {
  return reply
    .status(503)
    .header("retry-after", String(RETRY_AFTER_SECONDS))
    .send({
      error: SERVER_ERROR_CODES[503],
      message: `The database cannot be reached just now; try again in ${RETRY_AFTER_SECONDS} seconds.`,
      ...body,
    });
}

export const defaultDashboardDir = fileURLToPath(new URL("../../dashboard/dist", import.meta.url));

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const { services } = opts;
  const app = Fastify({
    loggerInstance: services.log as FastifyBaseLogger,
    // Per-request logs cost time on the auction path; we log decisions, not requests.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: BODY_LIMIT,
    // Only a trusted proxy may say who the client is; anyone else's X-Forwarded-For is ignored,
    // or a forged header would reset the per-address rate limits. Trusting no one is the
    // default: even "loopback" would let any local process forge its address.
    trustProxy: opts.trustProxy ?? false,
    // Refusals made while routing (a malformed %-escape, a path segment over 100 characters)
    // answer in the same shape as the rest.
    frameworkErrors: (err, req, reply: FastifyReply) => {
      const status = (err as { statusCode?: number }).statusCode ?? 400;
      void reply
        .status(status)
        .send(clientError(status, (err as { code?: string }).code, err.message, req as FastifyRequest));
    },
  });
  const outage = throttledWarn(services.log);
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody);
  registerCsrfGuard(app, services.publicUrl);
  await registerRateLimits(app, opts.rateLimits ?? DEFAULT_RATE_LIMITS);
  // Text the database can't store (NUL, broken unicode) is a 400 here, not a 500 later; tRPC
  // inputs are checked the same way in packages/api/src/trpc.ts.
  app.addHook("preHandler", async (req) => {
    if (req.url.startsWith("/trpc/")) return;
    // A streamed upload's body is the request stream (compliance-uploads.ts), read line by line
    // there: walking it as an object would never end.
    const streamed = typeof (req.body as { pipe?: unknown } | null)?.pipe === "function";
    const field =
      (streamed ? null : unstorableTextPath(req.body)) ??
      unstorableTextPath(req.query, ["query"]) ??
      unstorableTextPath(req.params, ["params"]);
    if (field) throw new AppError("BAD_REQUEST", `${field} ${UNSTORABLE_MESSAGE}.`, { [field]: [UNSTORABLE_MESSAGE] });
  });

  // One place maps errors to HTTP, all in one shape {error, message}: domain errors keep their
  // code and message, zod errors list the fields, fastify's own refusals (bad JSON, too large,
  // wrong media type) get our code and a message a person can act on, and anything else is a 500
  // with no internals in it. (tRPC answers its own calls' errors in tRPC's shape.)
  app.setErrorHandler(async (err, req, reply) => {
    if (err instanceof AppError) {
      const body: ApiErrorBody = { error: err.code, message: err.message, fieldErrors: err.fieldErrors };
      return reply.status(HTTP_STATUS[err.code]).send(body);
    }
    if (err instanceof z.ZodError) {
      const body: ApiErrorBody = {
        error: "BAD_REQUEST",
        message: "The request body is not valid.",
        issues: z.flattenError(err),
      };
      return reply.status(400).send(body);
    }
    if (isDatabaseUnavailable(err)) {
      outage({ err, url: req.url.split("?")[0] }, "request answered 503: the database is unavailable");
      return unavailable(reply);
    }
    const e = err as { statusCode?: number; code?: string; message?: string };
    if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
      if (e.code === "FST_ERR_CTP_BODY_TOO_LARGE") await drainBody(req.raw);
      return reply.status(e.statusCode).send(clientError(e.statusCode, e.code, e.message, req));
    }
    req.log.error({ err }, "request failed");
    const internal: ApiErrorBody = {
      error: SERVER_ERROR_CODES[500],
      message: "Something went wrong on our side. Try again later.",
    };
    return reply.status(500).send(internal);
  });

  // For load balancers and supervisors: 200 when the database and the job queue's own pool
  // answer, else 503 saying which is down (docs/api.md).
  app.get("/healthz", async (_req, reply) => {
    const probe = (q: Promise<unknown>) =>
      q.then(
        () => "up" as const,
        () => "down" as const,
      );
    const boss = services.boss;
    const [db, queue] = await Promise.all([
      probe(pingDatabase(services.db)),
      boss ? probe(boss.getDb().executeSql("select 1", [])) : Promise.resolve("none" as const),
    ]);
    const driver = services.handle?.kind ?? "unknown";
    if (db === "up" && queue !== "down") return { ok: true, db, queue, driver };
    return unavailable(reply, { ok: false, db, queue, driver });
  });

  // A DJ's private calendar feed (docs/marketplace.md, Calendars): the token is the credential.
  app.get("/calendar/:file", async (req, reply) => {
    const file = (req.params as { file: string }).file;
    const body = file.endsWith(".ics") ? await renderCalendarFeed(services, file.slice(0, -4)) : null;
    if (body === null) return reply.code(404).type("text/plain; charset=utf-8").send("No such calendar.\n");
    return reply
      .header("cache-control", "private, max-age=300")
      .header("x-robots-tag", "noindex")
      .type("text/calendar; charset=utf-8")
      .send(body);
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
          userAgent:
            typeof req.headers["user-agent"] === "string" ? req.headers["user-agent"].slice(0, 500) : undefined,
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
        if (error.code === "SERVICE_UNAVAILABLE" || isDatabaseUnavailable(error))
          outage({ err: error, path }, "trpc call answered 503: the database is unavailable");
        else if (error.code === "INTERNAL_SERVER_ERROR") services.log.error({ err: error, path }, "trpc error");
      },
      // A call that failed because the database is away (in a procedure, or reading the session
      // in createContext) is a 503 with Retry-After, like REST (the body: packages/api/src/trpc.ts).
      responseMeta({ errors }) {
        if (errors.length > 0 && errors.every((e) => e.code === "SERVICE_UNAVAILABLE" || isDatabaseUnavailable(e))) {
          return { status: 503, headers: new Headers({ "retry-after": String(RETRY_AFTER_SECONDS) }) };
        }
        return {};
      },
    } satisfies FastifyTRPCPluginOptions<AppRouter>["trpcOptions"],
  });

  await app.register(restV1(services, opts.auctionServices ?? services), { prefix: "/api/v1" });
  await app.register(callsRoutes(services, opts.calls ?? null), { prefix: "/api/calls" });
  registerSellerExports(app, services, (token) => userForSession(services.db, services.clock, token), SESSION_COOKIE);
  await registerComplianceUploads(
    app,
    services,
    (token) => userForSession(services.db, services.clock, token),
    SESSION_COOKIE,
  );
  registerBuyerStatements(app, services, (token) => userForSession(services.db, services.clock, token), SESSION_COOKIE);
  if (services.handle) {
    const hub = new LiveHub(services.handle, services.log);
    app.addHook("onClose", () => hub.close());
    registerLiveRoute(app, hub, (token) => userForSession(services.db, services.clock, token), SESSION_COOKIE);
  }

  const dashboardDir = opts.dashboardDir ?? defaultDashboardDir;
  if (existsSync(dashboardDir)) {
    await app.register(fastifyStatic, {
      root: dashboardDir,
      wildcard: false,
      // The build writes .br and .gz beside each file (apps/dashboard/vite.config.ts): sent as
      // they are, brotli when the browser takes it, else gzip, else the plain file.
      preCompressed: true,
      // Ours, below: `send` would add max-age=0 over it.
      cacheControl: false,
      setHeaders: (res, path) => {
        res.setHeader("vary", "Accept-Encoding");
        res.setHeader("cache-control", cacheControlFor(path, dashboardDir));
      },
    });
    // The dashboard routes on the client: any other GET that wants HTML gets index.html. A missing
    // hashed file (a tab open across a deploy asking for an old chunk) is a 404, not HTML sent as
    // JavaScript.
    app.setNotFoundHandler((req, reply) => {
      if (
        req.method === "GET" &&
        !req.url.startsWith("/api/") &&
        !req.url.startsWith("/trpc/") &&
        !req.url.startsWith(`/${HASHED_DIR}/`)
      ) {
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

/** Where Vite puts the files whose names carry a hash of their content. */
const HASHED_DIR = "assets";
export const IMMUTABLE = "public, max-age=31536000, immutable";

/**
 * A hashed file never changes under its name, so the browser keeps it a year without asking;
 * everything else (index.html above all, which names the current hashes) is checked every time.
 */
function cacheControlFor(path: string, root: string): string {
  const rel = relative(root, path).split(sep);
  return rel.length === 2 && rel[0] === HASHED_DIR ? IMMUTABLE : "no-cache";
}

/** A 4xx in the documented shape; fastify's codes (FST_ERR_…) become ours, with a plain message. */
function clientError(
  status: number,
  code: string | undefined,
  message: string | undefined,
  req: FastifyRequest,
): ApiErrorBody {
  const error = ERROR_CODES[status] ?? "BAD_REQUEST";
  switch (code) {
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return { error, message: "The body is not valid JSON." };
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return { error, message: "The body is empty; send a JSON body with Content-Type: application/json." };
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return {
        error,
        message: `The body is larger than the limit of ${BODY_LIMIT / 1024 / 1024} MB (${BODY_LIMIT} bytes).`,
      };
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return {
        error,
        message: `Content-Type ${(req.headers["content-type"] ?? "(none)").slice(0, 100)} is not accepted here; send application/json.`,
      };
    case "FST_ERR_MAX_PARAM_LENGTH":
      return {
        error,
        message: "A part of the path is longer than 100 characters (a tRPC batch names too many procedures?).",
      };
    case "FST_ERR_BAD_URL":
      return { error, message: "The URL is not valid (a malformed %-escape)." };
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return { error, message: "The body's length does not match its Content-Length header." };
  }
  if (code && !code.startsWith("FST_") && /^[A-Z_]+$/.test(code)) return { error: code, message: message ?? "" };
  return { error, message: message || "The request is not valid." };
}

/** Past this much the rest of an oversized body is not read: the connection is just closed. */
const DRAIN_LIMIT = 32 * BODY_LIMIT;

/**
 * Reads and drops what is left of a refused body before the 413 is sent. Fastify refuses an
 * oversized body without reading it and closes the connection; closing while the client is
 * still sending resets the connection, and the client often loses the answer with it.
 */
function drainBody(raw: FastifyRequest["raw"]): Promise<void> {
  if (raw.complete || raw.readableEnded || raw.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let seen = 0;
    const done = () => {
      clearTimeout(timer);
      raw.off("data", onData).off("end", done).off("close", done).off("error", done);
      resolve();
    };
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > DRAIN_LIMIT) done();
    };
    // A client that stops sending is not waited for long.
    const timer = setTimeout(done, 10_000);
    raw.on("data", onData).once("end", done).once("close", done).once("error", done);
    raw.resume();
  });
}
