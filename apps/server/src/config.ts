// The one place that reads the environment. Everything else receives settings as arguments.
import { parseAllowList, type ConsentSettings, type LitigatorSettings } from "@leadflow/api";
import { MAX_MARKET_TIME_SCALE } from "@leadflow/engine";
import { availableParallelism } from "node:os";
import { z } from "zod";

/** The auction pool's default size: one connection a core (2-8); see DATABASE_AUCTION_POOL_SIZE. */
export const defaultAuctionPool = () => Math.min(8, Math.max(2, availableParallelism()));

const bool = z
  .enum(["1", "0", "true", "false", "yes", "no", ""])
  .transform((v) => v === "1" || v === "true" || v === "yes");

/** "addr@domain" or "Name <addr@domain>"; empty is unset. */
const mailbox = (name: string) =>
  z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .string()
      .refine(
        (v) => z.email().safeParse(/^[^<>]*<([^<>]+)>$/.exec(v.trim())?.[1] ?? v.trim()).success,
        `${name} must be an email address, optionally with a name: "LeadFlow <leads@example.com>"`,
      )
      .optional(),
  );

export const configSchema = z
  .object({
    DATABASE_URL: z.string().startsWith("postgres", "DATABASE_URL must be a postgres:// URL").optional(),
    DATA_DIR: z.string().default(".data/pglite"),
    HOST: z.string().default("127.0.0.1"),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    PUBLIC_URL: z.url().optional(),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    COOKIE_SECURE: bool.default(false),
    DASHBOARD_DIR: z.string().optional(),
    SMTP_URL: z.string().optional(),
    /** Sender of every email ("Name <addr@your-domain>"): required with SMTP_URL (SPF/DMARC check its domain). */
    SMTP_FROM: mailbox("SMTP_FROM"),
    /** Where replies go, if not to SMTP_FROM. */
    SMTP_REPLY_TO: mailbox("SMTP_REPLY_TO"),
    RUN_WORKERS: bool.default(true),
    /** false: a worker-only process that serves no HTTP (with RUN_WORKERS on; see docs/scaling.md). */
    RUN_HTTP: bool.default(true),
    /** PostgreSQL connections this process keeps (postgres.js pool; pg-boss keeps 4 more). */
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(10),
    /**
     * Connections of the auction's own pool: the sellers' /ping, /post and /leads and the queued
     * auctions. Few, so its short statements pipeline back to back on a handful of database
     * processes, and no dashboard query ever holds the connection a ping needs (docs/scaling.md).
     * Default: this machine's cores, at least 2 and at most 8; 0 shares DATABASE_POOL_SIZE's pool.
     */
    DATABASE_AUCTION_POOL_SIZE: z.coerce
      .number()
      .int()
      .min(0)
      .max(500)
      .default(() => defaultAuctionPool()),
    /** Named prepared statements; false behind a pooler in transaction mode that cannot keep them. */
    DATABASE_PREPARED_STATEMENTS: bool.default(true),
    /** Seconds a new database connection may take before the request answers 503 (docs/scaling.md). */
    DATABASE_CONNECT_TIMEOUT: z.coerce.number().int().min(1).max(300).default(5),
    /** Auction workers in this process and leads each runs at once (the queue's concurrency). */
    AUCTION_WORKERS: z.coerce.number().int().min(1).max(64).default(4),
    AUCTION_BATCH_SIZE: z.coerce.number().int().min(1).max(500).default(16),
    /** Where the demo's buyer simulator listens; the demo seed points buyers at it. */
    BUYER_SIM_URL: z.url().default("http://127.0.0.1:4100"),
    /** The demo's trickle of leads (npm run demo). */
    DEMO_TRAFFIC: bool.default(true),
    LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).default(10),
    /** "production" makes CALLER_HASH_SECRET mandatory. */
    NODE_ENV: z.string().optional(),
    /**
     * Staging and demos only: the DJ marketplace's routing windows run this many times faster
     * (60: 15 s exclusive, 30 s tier expansion, 2 min broadcast). Refused in production.
     */
    MARKET_TIME_SCALE: z.coerce
      .number()
      .int("MARKET_TIME_SCALE must be a whole number")
      .min(1)
      .max(MAX_MARKET_TIME_SCALE)
      .default(1),
    /** The voice provider's auth token; the call webhook refuses (503) without it (docs/calls.md). */
    TWILIO_AUTH_TOKEN: z.preprocess(
      (v) => (v === "" ? undefined : v),
      z.string().min(16, "TWILIO_AUTH_TOKEN looks too short").optional(),
    ),
    /** The voice provider's account (SMS to DJs); with TWILIO_AUTH_TOKEN and TWILIO_FROM, SMS is offered. */
    TWILIO_ACCOUNT_SID: z.preprocess(
      (v) => (v === "" ? undefined : v),
      z
        .string()
        .regex(/^AC[0-9a-fA-F]{32}$/, "TWILIO_ACCOUNT_SID looks like AC followed by 32 hex digits")
        .optional(),
    ),
    /** The SMS sender: a number in E.164 (+19015550123) or a Messaging Service sid (MG…). */
    TWILIO_FROM: z.preprocess(
      (v) => (v === "" ? undefined : v),
      z
        .string()
        .regex(/^(\+[1-9]\d{7,14}|MG[0-9a-fA-F]{32})$/, "TWILIO_FROM must be +E.164 or a Messaging Service sid")
        .optional(),
    ),
    /** Base URL of the Messages API (tests and staging point it at a local fake). */
    TWILIO_API_URL: z.preprocess((v) => (v === "" ? undefined : v), z.url().optional()),
    /** Web Push keys (base64url); generated once and kept in the database when unset. */
    VAPID_PUBLIC_KEY: z.preprocess((v) => (v === "" ? undefined : v), z.string().min(80).max(100).optional()),
    VAPID_PRIVATE_KEY: z.preprocess((v) => (v === "" ? undefined : v), z.string().min(40).max(50).optional()),
    VAPID_SUBJECT: z.preprocess(
      (v) => (v === "" ? undefined : v),
      z
        .string()
        .regex(/^(mailto:|https:)/, "VAPID_SUBJECT must be a mailto: or https: URL")
        .optional(),
    ),
    /** Key of the offer links' HMAC (32+ characters); generated once and kept in the database when unset. */
    NOTIFY_LINK_SECRET: z.preprocess(
      (v) => (v === "" ? undefined : v),
      z.string().min(32, "NOTIFY_LINK_SECRET needs 32 or more characters").optional(),
    ),
    /** Minutes an offer's one-tap link stays valid after it is sent. */
    NOTIFY_LINK_TTL_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60)
      .default(120),
    /** Key of the HMAC that caller numbers are stored as; generated under DATA_DIR's parent outside production. */
    CALLER_HASH_SECRET: z.preprocess(
      (v) => (v === "" ? undefined : v),
      z.string().min(32, "CALLER_HASH_SECRET needs 32 or more characters").optional(),
    ),
    CALL_BILLABLE_MIN_SEC: z.coerce.number().int().min(0).max(3600).default(60),
    CALL_IGNORE_BELOW_SEC: z.coerce.number().int().min(0).max(3600).default(30),
    CALL_REPEAT_WINDOW_DAYS: z.coerce.number().int().min(0).max(90).default(7),
    INTAKE_RATE_LIMIT_PER_KEY: z.coerce.number().int().min(1).default(60_000),
    INTAKE_RATE_LIMIT_PER_ADDRESS: z.coerce.number().int().min(1).default(120_000),
    INQUIRY_RATE_LIMIT: z.coerce.number().int().min(1).default(30),
    COUPLE_RATE_LIMIT: z.coerce.number().int().min(1).default(60),
    /** Proxies whose X-Forwarded-For is believed: "loopback", addresses/CIDRs, true or false (the default: none). */
    TRUST_PROXY: z
      .string()
      .default("false")
      .transform((v): boolean | string => (v === "true" ? true : v === "false" || v === "" ? false : v)),
    /** TrustedForm's API key (Settings tab of the provider's app); without it certificates are never claimed. */
    TRUSTEDFORM_API_KEY: z.preprocess(
      (v) => (v === "" ? undefined : v),
      z.string().min(16, "TRUSTEDFORM_API_KEY looks too short").optional(),
    ),
    /** Where certificates are claimed; only the cert id is taken from a lead's URL (docs/compliance.md). */
    TRUSTEDFORM_API_URL: z.url({ protocol: /^https?$/ }).default("https://cert.trustedform.com"),
    /** Sent as retain.vendor: who claimed the certificate. */
    TRUSTEDFORM_VENDOR: z.string().trim().min(1).max(100).default("LeadFlow"),
    /** Jornaya (LeadiD) account code; without it LeadiD tokens are never authenticated. */
    JORNAYA_ACCOUNT_CODE: z.preprocess(
      (v) => (v === "" ? undefined : v),
      z.uuid("JORNAYA_ACCOUNT_CODE is the account's UUID").optional(),
    ),
    JORNAYA_API_URL: z.url({ protocol: /^https?$/ }).default("https://api.leadid.com"),
    /** A Bearer token, for accounts with API authentication on. */
    JORNAYA_API_TOKEN: z.preprocess((v) => (v === "" ? undefined : v), z.string().min(8).optional()),
    /** The litigator list's lookup API (docs/compliance.md); with LITIGATOR_KEY it is on. */
    LITIGATOR_URL: z.preprocess((v) => (v === "" ? undefined : v), z.url({ protocol: /^https?$/ }).optional()),
    /** Sent as X-API-Key. */
    LITIGATOR_KEY: z.preprocess(
      (v) => (v === "" ? undefined : v),
      z.string().min(8, "LITIGATOR_KEY looks too short").optional(),
    ),
    /** How long the auction waits for the litigator list before the check counts as not completed. */
    LITIGATOR_TIMEOUT_MS: z.coerce.number().int().min(100).max(10_000).default(1500),
    /** How long one consent claim may take before it is recorded as an ERROR. */
    CONSENT_CLAIM_TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(3000),
    /** Private networks/hosts outbound HTTP (pings, posts, webhooks) may reach; none by default (docs/security.md). */
    OUTBOUND_ALLOW: z
      .string()
      .default("")
      .superRefine((v, ctx) => {
        const r = parseAllowList(v);
        if (!r.ok) ctx.addIssue({ code: "custom", message: r.error });
      }),
  })
  .superRefine((c, ctx) => {
    if (c.MARKET_TIME_SCALE !== 1 && c.NODE_ENV === "production")
      ctx.addIssue({
        code: "custom",
        path: ["MARKET_TIME_SCALE"],
        message:
          "MARKET_TIME_SCALE is for staging and demos: leave it unset (1) in production, where DJs' windows are real",
      });
    if (c.SMTP_URL && !/^smtps?:\/\//.test(c.SMTP_URL))
      ctx.addIssue({ code: "custom", path: ["SMTP_URL"], message: "SMTP_URL must be an smtp:// or smtps:// URL" });
    if (c.SMTP_URL && !c.SMTP_FROM)
      ctx.addIssue({
        code: "custom",
        path: ["SMTP_FROM"],
        message: "SMTP_FROM is required with SMTP_URL: the sender address, on a domain whose SPF/DKIM allow your relay",
      });
    if ((c.LITIGATOR_URL === undefined) !== (c.LITIGATOR_KEY === undefined))
      ctx.addIssue({
        code: "custom",
        path: ["LITIGATOR_KEY"],
        message: "Set both LITIGATOR_URL and LITIGATOR_KEY (the litigator list's lookup API), or neither",
      });
    if ((c.VAPID_PUBLIC_KEY === undefined) !== (c.VAPID_PRIVATE_KEY === undefined))
      ctx.addIssue({
        code: "custom",
        path: ["VAPID_PRIVATE_KEY"],
        message: "Set both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY, or neither (then a pair is generated)",
      });
  });

export type Config = z.infer<typeof configSchema> & { publicUrl: string };

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid settings in the environment:\n${lines.join("\n")}`);
  }
  const c = parsed.data;
  const empty = (v: string | undefined) => (v === "" ? undefined : v);
  return {
    ...c,
    DATABASE_URL: empty(c.DATABASE_URL),
    SMTP_URL: empty(c.SMTP_URL),
    publicUrl: c.PUBLIC_URL ?? `http://${c.HOST === "0.0.0.0" ? "127.0.0.1" : c.HOST}:${c.PORT}`,
  };
}

/** The consent providers' settings (docs/compliance.md); a provider without its credentials is off. */
export function consentSettings(c: Config): ConsentSettings {
  return {
    trustedForm: c.TRUSTEDFORM_API_KEY
      ? { apiUrl: c.TRUSTEDFORM_API_URL, apiKey: c.TRUSTEDFORM_API_KEY, vendor: c.TRUSTEDFORM_VENDOR }
      : null,
    jornaya: c.JORNAYA_ACCOUNT_CODE
      ? { apiUrl: c.JORNAYA_API_URL, accountCode: c.JORNAYA_ACCOUNT_CODE, apiToken: c.JORNAYA_API_TOKEN ?? null }
      : null,
    timeoutMs: c.CONSENT_CLAIM_TIMEOUT_MS,
  };
}

/** The litigator list's settings; null (off) without LITIGATOR_URL and LITIGATOR_KEY. */
export function litigatorSettings(c: Config): LitigatorSettings | null {
  return c.LITIGATOR_URL && c.LITIGATOR_KEY
    ? { apiUrl: c.LITIGATOR_URL, apiKey: c.LITIGATOR_KEY, timeoutMs: c.LITIGATOR_TIMEOUT_MS }
    : null;
}
