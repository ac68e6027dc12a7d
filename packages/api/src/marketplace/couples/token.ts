// The couple's comparison link `/compare/<token>`: the lead id and an HMAC-SHA256 of it under the
// server's link secret, so the link can be written again into each later email (a quote, a DJ's
// message) without keeping it anywhere; the table keeps only its SHA-256, as before. The token is
// a capability: whoever holds it sees the comparison and may choose and message for the couple.
import { createHmac, timingSafeEqual } from "node:crypto";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A signed token; the 22-character random tokens of links sent before it still open by their hash. */
export const COMPARE_TOKEN = /^(?:[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}|[A-Za-z0-9_-]{22})$/;

const mac = (secret: string, leadId: string) =>
  createHmac("sha256", secret).update(`compare.${leadId.toLowerCase()}`).digest().subarray(0, 16);

export function signCompareToken(secret: string, leadId: string): string {
  if (!UUID.test(leadId)) throw new Error("not a lead id");
  const id = Buffer.from(leadId.replace(/-/g, ""), "hex").toString("base64url");
  return `${id}.${mac(secret, leadId).toString("base64url")}`;
}

/** The lead id of a well-signed token; null for anything else (checked in constant time). */
export function verifyCompareToken(secret: string, token: string): string | null {
  const m = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!m) return null;
  const hex = Buffer.from(m[1]!, "base64url").toString("hex");
  if (hex.length !== 32) return null;
  const leadId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  const got = Buffer.from(m[2]!, "base64url");
  const want = mac(secret, leadId);
  return got.length === want.length && timingSafeEqual(got, want) ? leadId : null;
}

export function compareUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, "")}/compare/${token}`;
}
