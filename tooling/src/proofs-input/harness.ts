// Shared parts of the bad-input property tests (docs/proofs.md): near-valid input generators,
// a check that a refusal is a clear 4xx, and tRPC calls over the in-process Fastify app.
import { newSessionToken, sha256Hex, type SessionUser } from "@leadflow/api";
import { sessions, type Db } from "@leadflow/db";
import type { Clock } from "@leadflow/engine";
import fc from "fast-check";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";

/**
 * How many generated cases each target gets: 1,000 in the suite, so that it passes in minutes on
 * a busy machine too (10,000 took past 600 s a file at load average 15); `PROPERTY_RUNS=10000`
 * for the full run of issue 7 (docs/input-and-access-proofs.md).
 */
export const RUNS = propertyRuns(process.env.PROPERTY_RUNS);

function propertyRuns(raw: string | undefined): number {
  if (raw === undefined || raw === "") return 1_000;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`PROPERTY_RUNS must be a whole number of cases, at least 1; got "${raw}"`);
  return n;
}

/**
 * A generated request and what it must get: `valid` → 2xx, `invalid` → a clear 4xx (naming
 * `field` when given), `either` → never a 5xx, and rows only on a 2xx.
 */
export interface Case<B = unknown> {
  label: "valid" | "invalid" | "either";
  why: string;
  body: B;
  field?: string;
}

export const valid = <B>(body: B, why = "valid"): Case<B> => ({ label: "valid", why, body });

// ---- values that break a field ----------------------------------------------------------------

export const wrongTypes: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: -2_000_000_000, max: -1 }),
  fc.integer({ min: 0, max: 2_000_000_000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constant(null),
  fc.boolean(),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.string({ maxLength: 5 }), { minLength: 1, maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { minKeys: 1, maxKeys: 2 }),
);

/** Not a string (for string fields). */
export const notAString = wrongTypes.filter((v) => typeof v !== "string");
/** Not a number (for number fields). */
export const notANumber: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constant(null),
  fc.boolean(),
  fc.constant([]),
  fc.constant({}),
  fc.constant("12"),
);

/** A string of more than `max` characters (code points), with unicode now and then. */
export const tooLong = (max: number) =>
  fc
    .tuple(
      fc.integer({ min: max + 1, max: max + 1 + Math.min(max * 4, 20_000) }),
      fc.constantFrom("x", "é", "字", "👍"),
    )
    .map(([n, ch]) => ch.repeat(n)); // n code points (zod counts code points, not UTF-16 units)

/** Readable unicode text that starts and ends with a letter (survives trim), 1..max UTF-16 units. */
export const text = (max: number) =>
  fc
    .tuple(
      fc.constantFrom("A", "Zoë", "Łukasz", "José", "Nguyễn", "Ада", "山田", "O'Brien", "Anne-Marie", "Ægir"),
      fc.string({ unit: "grapheme-ascii", maxLength: 20 }),
      fc.constantFrom("", "s", "ö", "ñ", "z"),
    )
    .map(([a, mid, end]) => `${a}${mid.replace(/\s+$/u, "")}${end || "x"}`.slice(0, max).replace(/\s+$/u, "") || "A");

/** Unicode that may not survive a trip to the database: control characters, lone surrogates, NUL. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: "binary", minLength: 1, maxLength: 40 }),
  fc.constantFrom(
    "A\u0000B",
    "\ud800",
    "x\udfffy",
    "\u202eevil",
    "\ufeffBOM",
    "tab\there",
    "line\nbreak",
    "🎉🎉",
    "e\u0301",
  ),
);

// ---- raw bodies that are not the JSON object the route expects --------------------------------

export const junkBodies: fc.Arbitrary<{ raw: string; why: string }> = fc.oneof(
  fc
    .constantFrom(
      "",
      "{",
      "}",
      "[]",
      "null",
      "true",
      "42",
      '"a string"',
      "{'single': 'quotes'}",
      '{"a":1,}',
      '{"__proto__":{"admin":true}}',
      '{"constructor":{"prototype":{"admin":true}}}',
      "\ufeff{}",
      '{"a":"\\ud800"}',
      "NaN",
    )
    .map((raw) => ({ raw, why: `junk ${JSON.stringify(raw)}` })),
  fc.string({ unit: "binary", maxLength: 60 }).map((raw) => ({ raw, why: "random text" })),
  fc.jsonValue({ maxDepth: 3 }).map((v) => ({ raw: JSON.stringify(v) ?? "null", why: "random JSON" })),
);

/** A valid body's JSON cut short, or with trailing garbage. */
export const brokenJson = (json: string) =>
  fc.oneof(
    fc
      .integer({ min: 1, max: Math.max(1, json.length - 1) })
      .map((n) => ({ raw: json.slice(0, n), why: "truncated JSON" })),
    fc.constantFrom("x", "}", ",", "{}", " garbage").map((tail) => ({ raw: json + tail, why: "trailing garbage" })),
  );

// ---- editing a body ---------------------------------------------------------------------------

export function setPath(obj: unknown, path: string[], value: unknown): unknown {
  const copy = structuredClone(obj) as Record<string, unknown>;
  let cur = copy;
  for (const k of path.slice(0, -1)) {
    if (typeof cur[k] !== "object" || cur[k] === null) cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  cur[path[path.length - 1]!] = value;
  return copy;
}

export function deletePath(obj: unknown, path: string[]): unknown {
  const copy = structuredClone(obj) as Record<string, unknown>;
  let cur: Record<string, unknown> | undefined = copy;
  for (const k of path.slice(0, -1)) cur = cur?.[k] as Record<string, unknown> | undefined;
  if (cur) delete cur[path[path.length - 1]!];
  return copy;
}

// ---- what a refusal must look like ------------------------------------------------------------

const INTERNALS =
  /ZodError|TypeError|RangeError|ReferenceError|\n\s+at |node_modules|\[object Object\]|syntax error at|relation "|violates|duplicate key|PostgresError|drizzle|Something went wrong/i;

/** Why `message` would not help the person who sent the request, or null if it is fine. */
export function unclear(message: unknown): string | null {
  if (typeof message !== "string") return "no message";
  if (message.trim().length < 8) return `message too short: ${JSON.stringify(message)}`;
  if (INTERNALS.test(message)) return `message shows internals: ${message.slice(0, 300)}`;
  return null;
}

/** Problems with a REST refusal (status, JSON shape, message, field errors), or [] when fine. */
export function restRefusalProblems(r: LightMyRequestResponse, field?: string): string[] {
  const out: string[] = [];
  if (r.statusCode < 400 || r.statusCode >= 500) out.push(`status ${r.statusCode}, not a 4xx`);
  let body: { error?: unknown; message?: unknown; fieldErrors?: Record<string, unknown> } | undefined;
  try {
    body = r.json();
  } catch {
    out.push(`body is not JSON: ${r.body.slice(0, 200)}`);
    return out;
  }
  if (typeof body?.error !== "string") out.push("no error code");
  const m = unclear(body?.message);
  if (m) out.push(m);
  if (field !== undefined) {
    const fe = body?.fieldErrors ?? {};
    if (!Object.keys(fe).some((k) => k === field || k.startsWith(`${field}.`)))
      out.push(`fieldErrors do not name ${field}: ${JSON.stringify(fe).slice(0, 300)}`);
    for (const [k, v] of Object.entries(fe)) {
      if (
        !Array.isArray(v) ||
        v.length === 0 ||
        v.some((s) => typeof s !== "string" || s.trim() === "" || INTERNALS.test(s))
      )
        out.push(`field ${k} has no clear message: ${JSON.stringify(v)}`);
    }
  }
  return out;
}

// ---- tRPC over the in-process app -------------------------------------------------------------

/** A session for `user`, as the login would make; returns the cookie header. */
export async function sessionCookie(db: Db, clock: Clock, user: SessionUser): Promise<string> {
  const token = newSessionToken();
  await db.insert(sessions).values({
    tokenHash: sha256Hex(token),
    userId: user.id,
    expiresAt: new Date(clock.now().getTime() + 86_400_000),
    createdAt: clock.now(),
  });
  return `lf_session=${token}`;
}

export interface TrpcAnswer {
  status: number;
  /** The result's data on success. */
  data?: unknown;
  error?: {
    message: string;
    code: string;
    httpStatus: number;
    zodError: { fieldErrors: Record<string, string[]>; formErrors: string[] } | null;
    fieldErrors: Record<string, string[]> | null;
  };
  raw: string;
}

/** Calls a procedure as the dashboard does (no batching), with the raw JSON body or an input. */
export async function trpc(
  app: FastifyInstance,
  kind: "query" | "mutation",
  path: string,
  input: { raw: string } | { value: unknown },
  cookie?: string,
): Promise<TrpcAnswer> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (cookie) headers.cookie = cookie;
  const res =
    kind === "query"
      ? await app.inject({
          method: "GET",
          url: `/trpc/${path}?input=${encodeURIComponent("raw" in input ? input.raw : (JSON.stringify(input.value) ?? ""))}`,
          headers,
        })
      : await app.inject({
          method: "POST",
          url: `/trpc/${path}`,
          headers,
          payload: "raw" in input ? input.raw : (JSON.stringify(input.value) ?? ""),
        });
  let json: {
    result?: { data?: unknown };
    error?: {
      message: string;
      code: number;
      data: { code: string; httpStatus: number; zodError: never; fieldErrors: never };
    };
  } = {};
  try {
    json = res.json();
  } catch {
    // Left empty: the caller sees no data and no error.
  }
  return {
    status: res.statusCode,
    data: json.result?.data,
    raw: res.body,
    error: json.error
      ? {
          message: json.error.message,
          code: json.error.data?.code,
          httpStatus: json.error.data?.httpStatus,
          zodError: json.error.data?.zodError ?? null,
          fieldErrors: json.error.data?.fieldErrors ?? null,
        }
      : undefined,
  };
}

/**
 * Problems with a tRPC refusal: a 4xx, a clear message, and for BAD_REQUEST the field errors
 * a form can show (zod's or the domain's), naming `field` when given.
 */
export function trpcRefusalProblems(a: TrpcAnswer, field?: string): string[] {
  const out: string[] = [];
  if (a.status < 400 || a.status >= 500) out.push(`status ${a.status}, not a 4xx`);
  if (!a.error) return [...out, `no error in ${a.raw.slice(0, 200)}`];
  const fields = { ...(a.error.zodError?.fieldErrors ?? {}), ...(a.error.fieldErrors ?? {}) };
  const formErrors = a.error.zodError?.formErrors ?? [];
  // zod's own message is the list of issues as JSON; the form shows fieldErrors, so check those.
  const m = a.error.zodError ? null : unclear(a.error.message);
  if (m) out.push(m);
  if (a.error.code === "BAD_REQUEST" && a.error.zodError) {
    const msgs = [...Object.values(fields).flat(), ...formErrors];
    if (msgs.length === 0) out.push("BAD_REQUEST with no field or form errors");
    for (const s of msgs) {
      const u =
        typeof s === "string" && s.trim().length > 0 && !INTERNALS.test(s)
          ? null
          : `bad field message ${JSON.stringify(s)}`;
      if (u) out.push(u);
    }
  }
  if (field !== undefined && !Object.keys(fields).some((k) => k === field || k.startsWith(`${field}.`))) {
    out.push(
      `fieldErrors do not name ${field}: ${JSON.stringify(fields).slice(0, 300)} ${a.error.message.slice(0, 200)}`,
    );
  }
  return out;
}

/** Runs fast-check and fails with the case that broke, without shrinking through database state. */
export async function check<T>(arb: fc.Arbitrary<T>, run: (c: T) => Promise<void>, runs = RUNS): Promise<void> {
  await fc.assert(fc.asyncProperty(arb, run), { numRuns: runs, endOnFailure: true });
}
