import fastifyRateLimit from "@fastify/rate-limit";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { createHash } from "node:crypto";

export interface RateLimitSettings {
  /** Sign-in attempts a minute for one email from one address. */
  loginPerAccount: number;
  /** Leads a minute through one API key (POST /api/v1/leads). High: a seller's CRM sends bursts. */
  intakePerKey?: number;
  /** Lead intake requests a minute from one address, whatever key they carry (slows key guessing). */
  intakePerAddress?: number;
  /** Public marketplace inquiries (marketPublic.inquire) a minute from one address. */
  inquiryPerAddress?: number;
}

export const DEFAULT_RATE_LIMITS: Required<RateLimitSettings> = {
  loginPerAccount: 10,
  intakePerKey: 60_000,
  intakePerAddress: 120_000,
  inquiryPerAddress: 30,
};

function tooMany(what: string) {
  return (_req: FastifyRequest, ctx: { after: string }) =>
    Object.assign(new Error(`Too many ${what}. Wait ${ctx.after} and try again.`), { statusCode: 429, code: "TOO_MANY_REQUESTS" });
}

/** Email in a tRPC login call (batched `{"0": {...}}` or plain), for the per-account limit. */
function loginEmail(raw: unknown): string {
  // The tRPC adapter leaves the JSON body as text for its own parser.
  let body = raw;
  if (typeof raw === "string" || Buffer.isBuffer(raw)) {
    try {
      body = JSON.parse(raw.toString());
    } catch {
      return "";
    }
  }
  const b = body as Record<string, { email?: unknown } | undefined> | undefined;
  const email = b?.["0"]?.email ?? (b as { email?: unknown } | undefined)?.email;
  return typeof email === "string" ? email.trim().toLowerCase().slice(0, 254) : "";
}

/**
 * Password guessing is slowed per account and address (keyed on both, so a stranger cannot lock
 * a user out from elsewhere). The plugin runs one limiter per request, hence one key. Counters live in this process; behind
 * several API nodes each counts its own share (docs/scaling.md).
 */
export async function registerRateLimits(app: FastifyInstance, settings: RateLimitSettings): Promise<void> {
  const s = { ...DEFAULT_RATE_LIMITS, ...settings };
  await app.register(fastifyRateLimit, { global: false });
  const perAccount = app.rateLimit({
    max: s.loginPerAccount,
    timeWindow: "1 minute",
    groupId: "login-account",
    keyGenerator: (req) => `${req.ip}|${loginEmail(req.body)}`,
    errorResponseBuilder: tooMany("sign-in attempts for this account"),
  });
  app.addHook("preHandler", async function (req: FastifyRequest, reply: FastifyReply) {
    if (req.method !== "POST" || !req.url.startsWith("/trpc/") || !req.url.includes("auth.login")) return;
    await perAccount.call(this, req, reply);
  });

  // Public intake: leads through the REST API (per key and per address, both checked) and the
  // marketplace's inquiry form (per address). Checked before the key is looked up.
  const intakeKey = limiter(app, s.intakePerKey, "leads through this API key", (req) => `key|${apiKeyDigest(req)}`);
  const intakeAddress = limiter(app, s.intakePerAddress, "lead submissions from this address", (req) => `ip|${req.ip}`);
  const inquiryAddress = limiter(app, s.inquiryPerAddress, "inquiries from this address", (req) => `ip|${req.ip}`);
  app.addHook("preHandler", async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.method !== "POST") return;
    const path = req.url.split("?")[0];
    if (path === "/api/v1/leads") {
      await intakeAddress(req, reply);
      await intakeKey(req, reply);
    } else if (path?.startsWith("/trpc/") && path.includes("marketPublic.inquire")) {
      await inquiryAddress(req, reply);
    }
  });
}

/**
 * A limiter that can be combined with others on one request (the plugin's own handler runs once
 * per request). Past `max` a minute it answers 429 with Retry-After and what to do.
 */
function limiter(app: FastifyInstance, max: number, what: string, key: (req: FastifyRequest) => string) {
  const check = app.createRateLimit({ max, timeWindow: "1 minute", keyGenerator: key });
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const r = await check(req);
    if (r.isAllowed || !r.isExceeded) return;
    void reply.header("retry-after", r.ttlInSeconds).header("x-ratelimit-limit", r.max).header("x-ratelimit-remaining", 0);
    throw tooMany(what)(req, { after: r.ttlInSeconds === 1 ? "1 second" : `${r.ttlInSeconds} seconds` });
  };
}

/** The presented key, hashed: counters are per key without keeping the key in memory. */
function apiKeyDigest(req: FastifyRequest): string {
  const auth = req.headers.authorization;
  const header = req.headers["x-api-key"];
  const key = auth?.startsWith("Bearer ") ? auth.slice(7).trim() : typeof header === "string" ? header.trim() : "";
  return key ? createHash("sha256").update(key).digest("base64url").slice(0, 22) : "none";
}
