import fastifyRateLimit from "@fastify/rate-limit";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { createHash } from "node:crypto";

export interface RateLimitSettings {
  /** Sign-in attempts a minute for one email from one address. */
  loginPerAccount: number;
  /** Leads a minute through one API key (POST /api/v1/leads, /ping and /post together). High: a seller's CRM sends bursts. */
  intakePerKey?: number;
  /** Lead intake requests a minute from one address, whatever key they carry (slows key guessing). */
  intakePerAddress?: number;
  /** Public marketplace inquiries (marketPublic.inquire) a minute from one address. */
  inquiryPerAddress?: number;
  /** The couple's other public writes (marketPublic.choose, marketPublic.sendMessage) a minute from one address. */
  couplePerAddress?: number;
}

export const DEFAULT_RATE_LIMITS: Required<RateLimitSettings> = {
  loginPerAccount: 10,
  intakePerKey: 60_000,
  intakePerAddress: 120_000,
  inquiryPerAddress: 30,
  couplePerAddress: 60,
};

/**
 * The REST routes that take leads, limited per API key and per address (one counter for the three,
 * so splitting a lead into a ping and a post buys nothing): a lead costs the buyers' pings, and a
 * ping as much as a whole lead. The OpenAPI document gives these routes their 429.
 */
export const INTAKE_ROUTES: ReadonlySet<string> = new Set(["/api/v1/leads", "/api/v1/ping", "/api/v1/post"]);

/** The couple's public writes besides the inquiry, limited together per address. */
export const COUPLE_WRITES: ReadonlySet<string> = new Set(["marketPublic.choose", "marketPublic.sendMessage"]);

/** One tRPC call in a request: a batch (`/trpc/a,b?batch=1`) holds several, each with its input. */
export interface TrpcCall {
  path: string;
  input: unknown;
}

/**
 * The calls a /trpc request will run, worked out the way the tRPC adapter does it (the route's
 * decoded `path` parameter, URL-decoded once more, split on "," for `batch=1`; the JSON body, per
 * index for a batch), so that a limit counts exactly the calls that run. Null for other routes.
 */
export function trpcCalls(req: FastifyRequest): TrpcCall[] | null {
  if (req.routeOptions.url !== "/trpc/:path") return null;
  let path: string;
  try {
    path = decodeURIComponent((req.params as { path?: string }).path ?? "");
  } catch {
    return []; // tRPC refuses a malformed path before running anything
  }
  const batch = new URL(req.url, "http://x").searchParams.get("batch") === "1";
  let body: unknown = req.body;
  if (typeof body === "string" || Buffer.isBuffer(body)) {
    try {
      body = JSON.parse(body.toString());
    } catch {
      body = undefined; // tRPC refuses it as well; the call still counts, with no input
    }
  }
  if (!batch) return [{ path, input: body }];
  const inputs = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  return path
    .split(",")
    .map((p, i) => ({ path: p, input: Object.hasOwn(inputs, String(i)) ? inputs[String(i)] : undefined }));
}

/** Email in a login call's input, for the per-account limit. */
function loginEmail(input: unknown): string {
  const email = (input as { email?: unknown } | null | undefined)?.email;
  return typeof email === "string" ? email.trim().toLowerCase().slice(0, 254) : "";
}

/**
 * Limits count calls, not HTTP requests: every `auth.login` in a batched tRPC request is one
 * sign-in attempt and every `marketPublic.inquire` one inquiry, so batching gains nothing. When
 * any call of a request is past its limit the whole request is refused with 429 and none of its
 * calls runs (so no password is checked past the limit).
 *
 * Password guessing is slowed per account and address (keyed on both, so a stranger cannot lock
 * a user out from elsewhere). Counters live in this process; behind several API nodes each counts
 * its own share (docs/scaling.md).
 */
export async function registerRateLimits(app: FastifyInstance, settings: RateLimitSettings): Promise<void> {
  const s = { ...DEFAULT_RATE_LIMITS, ...settings };
  await app.register(fastifyRateLimit, { global: false });
  const login = limiter(app, s.loginPerAccount, "sign-in attempts for this account");
  // Public intake: leads through the REST API (per key and per address, both checked) and the
  // marketplace's inquiry form (per address). Checked before the key is looked up.
  const intakeKey = limiter(app, s.intakePerKey, "leads through this API key");
  const intakeAddress = limiter(app, s.intakePerAddress, "lead submissions from this address");
  const inquiryAddress = limiter(app, s.inquiryPerAddress, "inquiries from this address");
  const coupleAddress = limiter(app, s.couplePerAddress, "messages and choices from this address");
  app.addHook("preHandler", async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.method !== "POST") return; // tRPC runs mutations for POST only
    if (req.routeOptions.url && INTAKE_ROUTES.has(req.routeOptions.url)) {
      await intakeAddress(req, reply, `ip|${req.ip}`);
      await intakeKey(req, reply, `key|${apiKeyDigest(req)}`);
      return;
    }
    for (const call of trpcCalls(req) ?? []) {
      if (call.path === "auth.login") await login(req, reply, `${req.ip}|${loginEmail(call.input)}`);
      else if (call.path === "marketPublic.inquire") await inquiryAddress(req, reply, `ip|${req.ip}`);
      else if (COUPLE_WRITES.has(call.path)) await coupleAddress(req, reply, `ip|${req.ip}`);
    }
  });
}

const RATE_KEY = Symbol("rateLimitKey");
type KeyedRequest = FastifyRequest & { [RATE_KEY]?: string };

/**
 * A limiter that can be applied several times to one request, each time with its own key (the
 * plugin's own handler runs once per request with one key). Past `max` a minute it answers 429
 * with Retry-After and what to do.
 */
function limiter(app: FastifyInstance, max: number, what: string) {
  const check = app.createRateLimit({
    max,
    timeWindow: "1 minute",
    keyGenerator: (req) => (req as KeyedRequest)[RATE_KEY] ?? "",
  });
  return async (req: FastifyRequest, reply: FastifyReply, key: string) => {
    (req as KeyedRequest)[RATE_KEY] = key; // read by keyGenerator as the check starts
    const r = await check(req);
    if (r.isAllowed || !r.isExceeded) return;
    const after = r.ttlInSeconds === 1 ? "1 second" : `${r.ttlInSeconds} seconds`;
    void reply
      .header("retry-after", r.ttlInSeconds)
      .header("x-ratelimit-limit", r.max)
      .header("x-ratelimit-remaining", 0);
    throw Object.assign(new Error(`Too many ${what}. Wait ${after} and try again.`), {
      statusCode: 429,
      code: "TOO_MANY_REQUESTS",
    });
  };
}

/** The presented key, hashed: counters are per key without keeping the key in memory. */
function apiKeyDigest(req: FastifyRequest): string {
  const auth = req.headers.authorization;
  const header = req.headers["x-api-key"];
  const key = auth?.startsWith("Bearer ") ? auth.slice(7).trim() : typeof header === "string" ? header.trim() : "";
  return key ? createHash("sha256").update(key).digest("base64url").slice(0, 22) : "none";
}
