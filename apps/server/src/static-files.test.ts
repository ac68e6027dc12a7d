// The built dashboard as the server sends it: precompressed, hashed files cached for a year, the
// HTML checked every time, the client's routes answered with index.html (issue #18).
import type { Services } from "@leadflow/api";
import { silentLog } from "@leadflow/api/testing";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { systemClock } from "@leadflow/engine";
import type { FastifyInstance } from "fastify";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp, IMMUTABLE } from "./app";

let t: TestDb;
let app: FastifyInstance;
let dir: string;
const js = `export const greeting = ${JSON.stringify("hello ".repeat(500))};\n`;
const html = `<!doctype html><html><head><script type="module" src="/assets/index-AbC123.js"></script></head><body></body></html>`;

beforeAll(async () => {
  // The layout `vite build` writes (apps/dashboard/vite.config.ts): each text file with a .br and
  // a .gz beside it.
  dir = mkdtempSync(join(tmpdir(), "leadflow-static-"));
  mkdirSync(join(dir, "assets"));
  writeFileSync(join(dir, "index.html"), html);
  writeFileSync(join(dir, "assets", "index-AbC123.js"), js);
  writeFileSync(join(dir, "assets", "index-AbC123.js.br"), brotliCompressSync(js));
  writeFileSync(join(dir, "assets", "index-AbC123.js.gz"), gzipSync(js));
  t = await createTestDb();
  const services: Services = { db: t.db, handle: t, clock: systemClock, log: silentLog, publicUrl: "http://127.0.0.1" };
  app = await buildApp({ services, dashboardDir: dir });
});
afterAll(async () => {
  await app?.close();
  await t?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const get = (url: string, acceptEncoding?: string) =>
  app.inject({
    method: "GET",
    url,
    headers: acceptEncoding === undefined ? {} : { "accept-encoding": acceptEncoding },
  });

describe("static files", () => {
  it("sends a hashed file as brotli when the browser takes it, cached for a year", async () => {
    const r = await get("/assets/index-AbC123.js", "gzip, deflate, br, zstd");
    expect(r.statusCode).toBe(200);
    expect(r.headers["content-encoding"]).toBe("br");
    expect(r.headers["content-type"]).toMatch(/^(text|application)\/javascript/);
    expect(r.headers["cache-control"]).toBe(IMMUTABLE);
    expect(r.headers.vary).toBe("Accept-Encoding");
    expect(brotliDecompressSync(r.rawPayload).toString()).toBe(js);
  });

  it("sends gzip to a browser that takes gzip but not brotli", async () => {
    const r = await get("/assets/index-AbC123.js", "gzip, deflate");
    expect(r.headers["content-encoding"]).toBe("gzip");
    expect(r.headers["cache-control"]).toBe(IMMUTABLE);
    expect(r.headers.vary).toBe("Accept-Encoding");
    expect(gunzipSync(r.rawPayload).toString()).toBe(js);
  });

  it("sends the plain file to a client that takes no encoding", async () => {
    const r = await get("/assets/index-AbC123.js");
    expect(r.headers["content-encoding"]).toBeUndefined();
    expect(r.headers["cache-control"]).toBe(IMMUTABLE);
    expect(r.body).toBe(js);
  });

  it("never lets the HTML be cached without asking, at / and at a client route", async () => {
    for (const url of ["/", "/index.html", "/analytics/revenue", "/leads/42"]) {
      const r = await get(url, "gzip, br");
      expect(r.statusCode, url).toBe(200);
      expect(r.headers["content-type"], url).toMatch(/^text\/html/);
      expect(r.headers["cache-control"], url).toBe("no-cache");
      expect(r.body, url).toBe(html);
    }
  });

  it("answers a missing hashed file with 404, not with the HTML", async () => {
    const r = await get("/assets/index-Old999.js", "gzip, br");
    expect(r.statusCode).toBe(404);
    expect(r.headers["content-type"]).toMatch(/json/);
  });

  it("keeps API misses as JSON 404s", async () => {
    const r = await get("/api/v1/nothing-here");
    expect(r.statusCode).toBe(404);
    expect(r.json().error).toBe("NOT_FOUND");
  });
});
