// The one logger. What it must never write: a failed query's parameters (drizzle's "Failed query:
// …\nparams: …" and postgres.js's `parameters` carry session-token and API-key hashes, contact
// details, whatever the statement was given), PostgreSQL's `detail` values ("Key (email)=(…)"),
// and fields that hold secrets or personal data, wherever a log call puts them.
import pino, { type DestinationStream, type Logger } from "pino";

/** Error fields that carry a statement's values: dropped. The statement's text (placeholders) stays. */
const VALUE_FIELDS = new Set(["params", "parameters", "args", "values", "types", "raw"]);

/** Fields that name a secret or a person, at the top of a log line or one level down: censored. */
const SECRET_FIELDS = [
  "password",
  "passwordHash",
  "token",
  "tokenHash",
  "sessionToken",
  "apiKey",
  "keyHash",
  "secret",
  "webhookSecret",
  "requestAuthSecret",
  "authToken",
  "authorization",
  "cookie",
  "contact",
  "phone",
  "email",
  "firstName",
  "lastName",
];
export const REDACT_PATHS = [
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((f) => `*.${f}`),
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["x-api-key"]',
  "*.headers.authorization",
  "*.headers.cookie",
  '*.headers["x-api-key"]',
];

const PARAMS_NOT_LOGGED = "params: (not logged)";

/** A message or stack without the values a failed statement was given. */
export function scrubText(text: string): string {
  return (
    text
      // drizzle: "Failed query: <sql>\nparams: <values>" (then the stack's frames, if a stack).
      .replace(/\nparams: [\s\S]*?(?=\n {4}at |$)/g, `\n${PARAMS_NOT_LOGGED}`)
      // PostgreSQL: 'invalid input syntax for type uuid: "<value>"' and the like.
      .replace(/(invalid input (?:syntax|value) for [^:\n]*: )"[^\n]*"/g, '$1"…"')
      // PostgreSQL's detail: "Key (email)=(someone@example.com) already exists."
      .replace(/(\([^()\n]*\))=\([^\n]*?\)( already exists| is not present| conflicts|\.|$)/g, "$1=(…)$2")
  );
}

/**
 * pino's `err` serializer, without statement values: the error's type, scrubbed message and
 * stack, its own fields (scrubbed strings; value fields dropped) and its causes, serialized alike.
 */
export function serializeError(err: unknown, depth = 0): unknown {
  if (!err || typeof err !== "object" || depth > 6) return err;
  const e = err as Record<string, unknown> & { message?: unknown; stack?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.message !== "string") return err;
  const out: Record<string, unknown> = {
    type: (e.constructor && e.constructor !== Object ? e.constructor.name : undefined) ?? e.name,
    message: scrubText(e.message),
  };
  if (typeof e.stack === "string") out.stack = scrubText(e.stack);
  for (const key of Object.keys(e)) {
    if (key in out || VALUE_FIELDS.has(key) || key === "cause" || key === "errors") continue;
    const v = e[key];
    if (typeof v === "string") out[key] = scrubText(v);
    else if (v && typeof v === "object" && typeof (v as { message?: unknown }).message === "string")
      out[key] = serializeError(v, depth + 1);
    else if (typeof v !== "object" || v === null) out[key] = v;
    else if (Array.isArray(v) && v.every((x) => typeof x !== "object" || x === null)) out[key] = v;
  }
  if (e.cause !== undefined) out.cause = serializeError(e.cause, depth + 1);
  if (Array.isArray(e.errors)) out.errors = e.errors.map((x) => serializeError(x, depth + 1));
  return out;
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { svc: "leadflow" },
      serializers: { err: (e: unknown) => serializeError(e), error: (e: unknown) => serializeError(e) },
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    },
    destination,
  );
}

/**
 * A warning logged at most once per `everyMs` for each message; the next one says how many alike
 * were left out. While the database is away every request and every worker's poll fails: the
 * log gets a line every few seconds, not thousands.
 */
export function throttledWarn(log: Logger, everyMs = 10_000) {
  const last = new Map<string, { at: number; skipped: number }>();
  return (obj: Record<string, unknown>, msg: string) => {
    const now = Date.now();
    const seen = last.get(msg);
    if (seen && now - seen.at < everyMs) {
      seen.skipped++;
      return;
    }
    log.warn({ ...obj, alike: seen?.skipped ?? 0 }, msg);
    last.set(msg, { at: now, skipped: 0 });
  };
}
