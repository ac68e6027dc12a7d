// The one-tap link in an offer's message: `/offer?t=<token>`, where the token is the offer id,
// the DJ's user id and an expiry, signed with HMAC-SHA256 under the server's link secret. It
// grants nothing by itself: the page opens only after sign-in, and only for that user.
import { createHmac, timingSafeEqual } from "node:crypto";

export interface OfferLinkClaims {
  offerId: string;
  userId: string;
  expiresAt: Date;
}

export type OfferLinkVerdict =
  | { ok: true; offerId: string; userId: string; expiresAt: Date }
  | { ok: false; reason: "malformed" | "tampered" | "expired" };

const b64 = (b: Buffer | string) => Buffer.from(b).toString("base64url");
const mac = (secret: string, payload: string) => createHmac("sha256", secret).update(payload).digest();

export function signOfferLink(secret: string, c: OfferLinkClaims): string {
  const payload = b64(`${c.offerId}.${c.userId}.${Math.floor(c.expiresAt.getTime() / 1000)}`);
  return `${payload}.${b64(mac(secret, payload))}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Checks the signature first (a tampered token says nothing about itself), then the expiry. */
export function verifyOfferLink(secret: string, token: string, now: Date): OfferLinkVerdict {
  const parts = token.split(".");
  if (parts.length !== 2 || !parts[0] || !parts[1]) return { ok: false, reason: "malformed" };
  const [payload, sig] = parts as [string, string];
  const want = mac(secret, payload);
  const got = Buffer.from(sig, "base64url");
  if (got.length !== want.length || !timingSafeEqual(got, want)) return { ok: false, reason: "tampered" };
  const [offerId, userId, exp] = Buffer.from(payload, "base64url").toString("utf8").split(".");
  if (!offerId || !userId || !exp || !UUID.test(offerId) || !UUID.test(userId) || !/^\d+$/.test(exp))
    return { ok: false, reason: "malformed" };
  const expiresAt = new Date(Number(exp) * 1000);
  if (expiresAt.getTime() <= now.getTime()) return { ok: false, reason: "expired" };
  return { ok: true, offerId, userId, expiresAt };
}

export function offerLinkUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, "")}/offer?t=${encodeURIComponent(token)}`;
}
