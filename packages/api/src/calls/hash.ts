// Caller numbers are kept only as HMAC-SHA256 under a server secret. A plain SHA-256 would not
// do: there are only about 10^10 North American numbers, and hashing them all takes minutes.
import { createHmac } from "node:crypto";

export function hashCaller(secret: string, e164: string): string {
  if (secret.length < 16) throw new Error("The caller hash secret must be at least 16 characters.");
  return createHmac("sha256", secret).update(e164, "utf8").digest("hex");
}
