// Which failures mean "the database is away for now" (503 and retry) and which are bugs (500).
// The real drivers' errors on a cut connection are provoked in tooling/src/proofs/outage.test.ts.
import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "./outage";

const withCode = (code: string, message = "x") => Object.assign(new Error(message), { code });

describe("isDatabaseUnavailable", () => {
  it("knows a lost, refused or timed-out connection, from either driver, however deeply wrapped", () => {
    for (const code of [
      "CONNECTION_CLOSED",
      "CONNECTION_DESTROYED",
      "CONNECT_TIMEOUT",
      "ECONNREFUSED",
      "ECONNRESET",
      "ETIMEDOUT",
      "ENOTFOUND",
    ]) {
      expect(isDatabaseUnavailable(withCode(code)), code).toBe(true);
    }
    expect(isDatabaseUnavailable(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isDatabaseUnavailable(new Error("timeout exceeded when trying to connect"))).toBe(true);
    // drizzle's "Failed query" wraps the driver's error; tRPC wraps drizzle's.
    const drizzle = Object.assign(new Error("Failed query: select 1\nparams: "), { cause: withCode("ECONNRESET") });
    expect(isDatabaseUnavailable(Object.assign(new Error("trpc"), { cause: drizzle }))).toBe(true);
    // Node's connect to several addresses fails with an AggregateError of refusals.
    expect(isDatabaseUnavailable(new AggregateError([withCode("ECONNREFUSED"), withCode("ECONNREFUSED")]))).toBe(true);
  });

  it("knows a server that is shutting down, starting up or full", () => {
    for (const code of ["57P01", "57P02", "57P03", "08006", "08001", "53300"])
      expect(isDatabaseUnavailable(withCode(code)), code).toBe(true);
  });

  it("does not excuse a bug or a bad statement", () => {
    expect(isDatabaseUnavailable(new TypeError("Cannot read properties of undefined"))).toBe(false);
    expect(isDatabaseUnavailable(withCode("42P01", 'relation "x" does not exist'))).toBe(false);
    expect(isDatabaseUnavailable(withCode("23505", "duplicate key value"))).toBe(false);
    expect(isDatabaseUnavailable(withCode("40P01", "deadlock detected"))).toBe(false);
    expect(isDatabaseUnavailable(new AggregateError([withCode("ECONNREFUSED"), new Error("other")]))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
    expect(isDatabaseUnavailable("Connection terminated")).toBe(false);
  });
});
