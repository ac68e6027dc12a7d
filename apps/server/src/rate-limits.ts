import fastifyRateLimit from "@fastify/rate-limit";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

export interface RateLimitSettings {
  /** Sign-in attempts a minute for one email from one address. */
  loginPerAccount: number;
}

export const DEFAULT_RATE_LIMITS: RateLimitSettings = { loginPerAccount: 10 };

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
export async function registerRateLimits(app: FastifyInstance, s: RateLimitSettings): Promise<void> {
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
}
