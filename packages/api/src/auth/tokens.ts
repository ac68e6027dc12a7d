import { createHash, randomBytes } from "node:crypto";

export function sha256Hex(s: string): string {
  return createHash("sha256").update(s).digest("hex");
}

/** A session token for the cookie: 32 random bytes. Only its SHA-256 is stored. */
export function newSessionToken(): string {
  return randomBytes(32).toString("base64url");
}

/** An API key, shown once: `lf_<prefix>_<secret>`. The prefix finds it in lists; the hash proves it. */
export function newApiKey(): { key: string; prefix: string; hash: string } {
  const prefix = randomBytes(4).toString("hex");
  const key = `lf_${prefix}_${randomBytes(24).toString("base64url")}`;
  return { key, prefix, hash: sha256Hex(key) };
}
