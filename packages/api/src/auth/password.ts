import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from "node:crypto";

function scrypt(password: string, salt: Buffer, keylen: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password, salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export interface PasswordHashCost {
  N: number;
  r: number;
  p: number;
}

// OWASP's scrypt floor: N=2^17, r=8, p=1. Stored with its parameters so they can be raised later.
export const PASSWORD_HASH_COST: Readonly<PasswordHashCost> = Object.freeze({ N: 1 << 17, r: 8, p: 1 });
const KEYLEN = 32;
const MAXMEM = 256 * 1024 * 1024;

/** The cost the test suites hash new passwords at (vitest.setup.ts, the e2e servers). */
export const TEST_PASSWORD_HASH_COST: Readonly<PasswordHashCost> = Object.freeze({ N: 1 << 10, r: 8, p: 1 });

let cost: Readonly<PasswordHashCost> = PASSWORD_HASH_COST;

/**
 * For the test suite only (vitest.setup.ts calls it; nothing in the application does): new hashes
 * at another cost, so that a test's sign-ins do not each take 128 MiB and a third of a second, many
 * seconds on a busy machine. Verifying always uses the parameters stored in the hash. Returns the
 * cost it replaced.
 */
export function setPasswordHashCostForTests(next: PasswordHashCost): Readonly<PasswordHashCost> {
  const before = cost;
  cost = Object.freeze({ ...next });
  dummy = undefined;
  return before;
}

export async function hashPassword(password: string): Promise<string> {
  const { N, r, p } = cost;
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEYLEN, { N, r, p, maxmem: MAXMEM });
  return `scrypt$${N}$${r}$${p}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [, n, r, p, saltB64, keyB64] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(keyB64, "base64url");
  // A malformed stored hash (parameters scrypt refuses) matches no password rather than failing.
  const key = await scrypt(password, Buffer.from(saltB64, "base64url"), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: MAXMEM,
  }).catch(() => null);
  if (!key) return false;
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash of a password nobody has, to spend the same time when the email is unknown. */
let dummy: Promise<string> | undefined;
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(16).toString("hex"));
  return dummy;
}
