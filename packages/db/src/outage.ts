// Telling "the database is gone for now" (a failover, a pooler restart, a network cut) from every
// other failure. Such an error is not a bug: a request answers 503 with Retry-After, a job is
// retried, and the process keeps running until the database is back (docs/scaling.md).

import { DrizzleQueryError } from "drizzle-orm";

/** Socket and driver codes of a connection that failed, was refused or was cut. */
const CONNECTION_CODES = new Set([
  // postgres.js
  "CONNECTION_CLOSED",
  "CONNECTION_DESTROYED",
  "CONNECTION_ENDED",
  "CONNECT_TIMEOUT",
  // Node's sockets and DNS
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

/**
 * SQLSTATEs of a server that is going away or not taking connections yet: class 08 (connection
 * exception), admin/crash shutdown and "starting up" (57P01-57P03, a failover's first seconds),
 * and too many connections (53300).
 */
const SERVER_STATES = /^(08...|57P0[123]|53300)$/;

/** node-postgres (pg-boss's driver) says it in words, without a code. */
const PG_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection refused/i;

/** Does this error (or one it was caused by) say the database cannot be reached right now? */
export function isDatabaseUnavailable(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; depth < 8 && e && typeof e === "object"; depth++) {
    const { code, message, errors, cause } = e as {
      code?: unknown;
      message?: unknown;
      errors?: unknown;
      cause?: unknown;
    };
    if (typeof code === "string" && (CONNECTION_CODES.has(code) || SERVER_STATES.test(code))) return true;
    if (typeof message === "string" && PG_MESSAGES.test(message) && !(typeof code === "string" && code.length === 5))
      return true;
    // Node's "connect to any of these addresses" failure is an AggregateError of ECONNREFUSEDs.
    if (Array.isArray(errors) && errors.length > 0 && errors.every((x) => isDatabaseUnavailable(x))) return true;
    e = cause;
  }
  return false;
}

/** Seconds a client should wait before trying again while the database is away. */
export const RETRY_AFTER_SECONDS = 5;

/**
 * A statement the database refused, as drizzle wraps it (its message is the whole SQL; the
 * reason is the cause's). Callers outside this package test for it here, not with drizzle's class.
 */
export function isQueryError(err: unknown): err is Error & { cause: unknown } {
  return err instanceof DrizzleQueryError;
}
