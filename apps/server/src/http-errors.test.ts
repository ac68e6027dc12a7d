// Every refusal the server makes itself (bad JSON, too large, wrong media type, no route) is in
// the documented shape {error, message}, and the answer to an oversized body reaches the client
// instead of a reset connection. Over real HTTP (undici) to a listening server.
import { createApiKey, type Services } from "@leadflow/api";
import { silentLog } from "@leadflow/api/testing";
import { leads, orgs, verticals } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { systemClock } from "@leadflow/engine";
import { count } from "drizzle-orm";
import type { FastifyInstance } from "fastify";
import { connect } from "node:net";
import { Readable } from "node:stream";
import { Agent, request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BODY_LIMIT, buildApp } from "./app";

let t: TestDb;
let app: FastifyInstance;
let base: string;
let key: string;
// A fresh connection per request, as a client that opens one each time would have.
const agent = new Agent({ pipelining: 0 });

beforeAll(async () => {
  t = await createTestDb();
  const services: Services = { db: t.db, handle: t, clock: systemClock, log: silentLog, publicUrl: "http://127.0.0.1" };
  const [org] = await t.db.insert(orgs).values({ name: "Seller Co", kind: "seller" }).returning();
  await t.db.insert(verticals).values({ key: "roofing", name: "Roofing" });
  key = (await createApiKey(t.db, org!.id, "crm")).key;
  app = await buildApp({ services, dashboardDir: "/nonexistent" });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const addr = app.server.address();
  base = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
});
afterAll(async () => {
  await agent.close();
  await app?.close();
  await t?.drop();
});

const leadCount = async () => (await t.db.select({ n: count() }).from(leads))[0]!.n;

async function send(
  method: string,
  path: string,
  body?: string | Buffer | Readable,
  headers: Record<string, string> = {},
) {
  const r = await request(`${base}${path}`, { method: method as "POST", headers, body, dispatcher: agent });
  const text = await r.body.text();
  return { status: r.statusCode, text, json: () => JSON.parse(text) as Record<string, unknown> };
}

/** A 2 MB JSON document: a lead with a very long name. */
function bigLead(): string {
  return JSON.stringify({
    vertical: "roofing",
    zip: "75201",
    contact: { firstName: "x".repeat(2 * 1024 * 1024), lastName: "L", phone: "5125550100" },
  });
}

describe("errors in one shape", () => {
  it("answers an oversized body with a 413 that arrives, with the limit in the message, and stores nothing", async () => {
    const before = await leadCount();
    const body = bigLead();
    expect(body.length).toBeGreaterThan(2 * BODY_LIMIT);
    const expected = {
      error: "PAYLOAD_TOO_LARGE",
      message: "The body is larger than the limit of 1 MB (1048576 bytes).",
    };
    const auth = { "content-type": "application/json", authorization: `Bearer ${key}` };
    for (let i = 0; i < 3; i++) {
      // With a Content-Length (refused before reading) and streamed without one (refused midway).
      const sized = await send("POST", "/api/v1/leads", body, auth);
      expect(sized.status).toBe(413);
      expect(sized.json()).toEqual(expected);
      const streamed = await send("POST", "/api/v1/leads", Readable.from(chunks(body)), auth);
      expect(streamed.status).toBe(413);
      expect(streamed.json()).toEqual(expected);
    }
    // The way curl sends a big body: `Expect: 100-continue`, the body once the server says go on.
    // Closing the connection while such a client still sends used to reset it before the 413
    // was read.
    for (let i = 0; i < 5; i++) {
      const r = await postLikeCurl("/api/v1/leads", Buffer.from(body), auth);
      expect(r.status, r.raw.slice(0, 200)).toBe(413);
      expect(JSON.parse(r.body)).toEqual(expected);
    }
    // The dashboard's API too.
    const trpc = await send("POST", "/trpc/auth.login", body, { "content-type": "application/json" });
    expect(trpc.status).toBe(413);
    expect(trpc.json()).toEqual(expected);
    expect(await leadCount()).toBe(before);
  });

  it("answers malformed JSON with 400 BAD_REQUEST, an unknown media type with 415 and an unknown route with 404", async () => {
    const auth = { authorization: `Bearer ${key}` };
    const junk = await send("POST", "/api/v1/leads", "{not json", { ...auth, "content-type": "application/json" });
    expect(junk.status).toBe(400);
    expect(junk.json()).toEqual({ error: "BAD_REQUEST", message: "The body is not valid JSON." });
    const empty = await send("POST", "/api/v1/leads", "", { ...auth, "content-type": "application/json" });
    expect(empty.status).toBe(400);
    expect(empty.json()).toEqual({ error: "BAD_REQUEST", message: expect.stringMatching(/The body is empty/) });
    const text = await send("POST", "/api/v1/leads", "<lead/>", { ...auth, "content-type": "application/xml" });
    expect(text.status).toBe(415);
    expect(text.json()).toEqual({
      error: "UNSUPPORTED_MEDIA_TYPE",
      message: "Content-Type application/xml is not accepted here; send application/json.",
    });
    const long = await send("GET", `/trpc/${Array(12).fill("auth.login").join(",")}?batch=1`);
    expect(long.status).toBe(414);
    expect(long.json()).toEqual({
      error: "URI_TOO_LONG",
      message: expect.stringMatching(/longer than 100 characters/),
    });
    const badEscape = await send("GET", "/api/v1/leads/%E0%A4%A");
    expect(badEscape.status).toBe(400);
    expect(badEscape.json()).toEqual({ error: "BAD_REQUEST", message: "The URL is not valid (a malformed %-escape)." });
    const none = await send("DELETE", "/api/v1/nope");
    expect(none.status).toBe(404);
    expect(none.json()).toEqual({ error: "NOT_FOUND", message: "No route DELETE /api/v1/nope" });
  });
});

function* chunks(s: string): Generator<Buffer> {
  const b = Buffer.from(s);
  for (let i = 0; i < b.length; i += 64 * 1024) yield b.subarray(i, i + 64 * 1024);
}

/** A raw HTTP/1.1 POST with `Expect: 100-continue`, the body sent in chunks after the 100. */
function postLikeCurl(
  path: string,
  body: Buffer,
  headers: Record<string, string>,
): Promise<{ status: number; body: string; raw: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let received = "";
    let sending = false;
    const head = [
      `POST ${path} HTTP/1.1`,
      `Host: ${hostname}:${port}`,
      `Content-Length: ${body.length}`,
      "Expect: 100-continue",
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    ];
    socket.write(`${head.join("\r\n")}\r\n\r\n`);
    const sendBody = async () => {
      for (let i = 0; i < body.length && !socket.destroyed; i += 64 * 1024) {
        if (!socket.write(body.subarray(i, i + 64 * 1024)))
          await new Promise((r) => socket.once("drain", r).once("close", r));
      }
    };
    socket.on("data", (d: Buffer) => {
      received += d.toString("latin1");
      if (!sending && received.startsWith("HTTP/1.1 100")) {
        sending = true;
        void sendBody();
      }
    });
    socket.on("error", (err) =>
      reject(
        new Error(
          `connection failed (${(err as NodeJS.ErrnoException).code ?? err.message}) after receiving ${JSON.stringify(received.slice(0, 200))}`,
        ),
      ),
    );
    socket.on("close", () => {
      const final = received.replace(/^HTTP\/1\.1 100 Continue\r\n\r\n/, "");
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(final)?.[1] ?? 0);
      const split = final.indexOf("\r\n\r\n");
      const rest = split < 0 ? "" : final.slice(split + 4);
      // The 413 is small: either chunked (one chunk) or with a Content-Length.
      const chunked = /transfer-encoding: chunked/i.test(final.slice(0, split));
      resolve({ status, raw: final, body: chunked ? (rest.split("\r\n")[1] ?? "") : rest });
    });
  });
}
