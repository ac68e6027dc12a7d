// Local stand-ins for the outside parties of DJ notifications, for tests and the benchmark: a fake
// of the voice provider's Messages API (Twilio's shape, checking Basic auth and the form body),
// and a Web Push endpoint that checks the VAPID JWT and decrypts the payload (RFC 8291, aes128gcm).
import { createDecipheriv, createECDH, createHmac, createPublicKey, randomBytes, verify } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on("data", (c: Buffer) => parts.push(c));
    req.on("end", () => resolve(Buffer.concat(parts)));
    req.on("error", reject);
  });
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export interface FakeSms {
  to: string;
  from: string;
  body: string;
  at: number;
}

/**
 * POST /2010-04-01/Accounts/{sid}/Messages.json as Twilio answers it: 401 without the account's
 * Basic auth, 400 without To/From/Body, 201 with a sid. `failNext` answers 503 that many times.
 */
export async function startFakeTwilio(accountSid: string, authToken: string) {
  const state = { sent: [] as FakeSms[], refused: [] as { status: number; why: string }[], failNext: 0 };
  const server = createServer((req, res) => {
    void (async () => {
      const body = (await readBody(req)).toString("utf8");
      const reply = (status: number, json: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(json));
      };
      const expectedAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString("base64")}`;
      if (req.method !== "POST" || req.url !== `/2010-04-01/Accounts/${accountSid}/Messages.json`) {
        state.refused.push({ status: 404, why: `${req.method} ${req.url}` });
        return reply(404, { code: 20404, message: "The requested resource was not found", status: 404 });
      }
      if (req.headers.authorization !== expectedAuth) {
        state.refused.push({ status: 401, why: "auth" });
        return reply(401, { code: 20003, message: "Authenticate", status: 401 });
      }
      const form = new URLSearchParams(body);
      const to = form.get("To");
      const from = form.get("From");
      const text = form.get("Body");
      if (!to || !from || !text || req.headers["content-type"] !== "application/x-www-form-urlencoded") {
        state.refused.push({ status: 400, why: "body" });
        return reply(400, { code: 21604, message: "A 'To' phone number is required.", status: 400 });
      }
      if (state.failNext > 0) {
        state.failNext--;
        state.refused.push({ status: 503, why: "failNext" });
        return reply(503, { code: 20503, message: "Service unavailable", status: 503 });
      }
      state.sent.push({ to, from, body: text, at: Date.now() });
      const sid = `SM${randomBytes(16).toString("hex")}`;
      reply(201, { sid, account_sid: accountSid, to, from, body: text, status: "queued", num_segments: "1" });
    })();
  });
  const url = await listen(server);
  return { url, state, close: () => new Promise<void>((r) => server.close(() => r())) };
}

export interface BrowserKeys {
  endpointPath: string;
  p256dh: string;
  auth: string;
  ecdh: ReturnType<typeof createECDH>;
  authSecret: Buffer;
}

/** A browser's subscription keys (what PushManager.subscribe makes). */
export function makeBrowserKeys(endpointPath = `/push/${randomBytes(6).toString("hex")}`): BrowserKeys {
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  const authSecret = randomBytes(16);
  return {
    endpointPath,
    p256dh: ecdh.getPublicKey().toString("base64url"),
    auth: authSecret.toString("base64url"),
    ecdh,
    authSecret,
  };
}

const hmac = (key: Buffer, data: Buffer) => createHmac("sha256", key).update(data).digest();

/** RFC 8291 / RFC 8188 decryption of one aes128gcm record, as the browser does it. */
export function decryptPush(body: Buffer, keys: BrowserKeys): string {
  const salt = body.subarray(0, 16);
  const idlen = body.readUInt8(20);
  const serverKey = body.subarray(21, 21 + idlen);
  const ciphertext = body.subarray(21 + idlen);
  const shared = keys.ecdh.computeSecret(serverKey);
  const info = Buffer.concat([Buffer.from("WebPush: info\0"), keys.ecdh.getPublicKey(), serverKey]);
  const ikm = hmac(hmac(keys.authSecret, shared), Buffer.concat([info, Buffer.from([1])]));
  const prk = hmac(salt, ikm);
  const cek = hmac(prk, Buffer.from("Content-Encoding: aes128gcm\0\x01", "binary")).subarray(0, 16);
  const nonce = hmac(prk, Buffer.from("Content-Encoding: nonce\0\x01", "binary")).subarray(0, 12);
  const d = createDecipheriv("aes-128-gcm", cek, nonce);
  d.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const plain = Buffer.concat([d.update(ciphertext.subarray(0, ciphertext.length - 16)), d.final()]);
  const end = plain.lastIndexOf(2); // the padding delimiter of the last record
  return plain.subarray(0, end).toString("utf8");
}

/** Checks `Authorization: vapid t=<JWT>, k=<public key>`: ES256 under k, aud = the endpoint's origin. */
export function checkVapid(header: string | undefined, origin: string, publicKey: string): string | null {
  const m = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header ?? "");
  if (!m) return "no vapid authorization";
  const [, jwt, k] = m as unknown as [string, string, string];
  if (k !== publicKey) return "another public key";
  const [h, p, sig] = jwt.split(".") as [string, string, string];
  const raw = Buffer.from(k, "base64url");
  const key = createPublicKey({
    key: {
      kty: "EC",
      crv: "P-256",
      x: raw.subarray(1, 33).toString("base64url"),
      y: raw.subarray(33, 65).toString("base64url"),
    },
    format: "jwk",
  });
  const ok = verify(
    "sha256",
    Buffer.from(`${h}.${p}`),
    { key, dsaEncoding: "ieee-p1363" },
    Buffer.from(sig, "base64url"),
  );
  if (!ok) return "bad signature";
  const claims = JSON.parse(Buffer.from(p, "base64url").toString("utf8")) as { aud?: string; exp?: number };
  if (claims.aud !== origin) return `aud ${claims.aud}`;
  return null;
}

export interface PushReceived {
  path: string;
  headers: IncomingMessage["headers"];
  body: Buffer;
  at: number;
}

/** A push service on loopback: answers `status` (201 by default; set it to 410 for a gone browser). */
export async function startPushEndpoint() {
  const state = { received: [] as PushReceived[], status: 201, failNext: 0 };
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      state.received.push({ path: req.url ?? "", headers: req.headers, body, at: Date.now() });
      let status = state.status;
      if (state.failNext > 0) {
        state.failNext--;
        status = 500;
      }
      res.writeHead(status);
      res.end();
    })();
  });
  const url = await listen(server);
  return { url, state, close: () => new Promise<void>((r) => server.close(() => r())) };
}
