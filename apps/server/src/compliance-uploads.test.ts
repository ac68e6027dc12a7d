// The admin's compliance uploads over real HTTP: an admin's session streams a suppression CSV (sent
// in chunks) and gets the per-line report; a do-not-call file likewise; no session is 401, another
// role 403, a request without the upload header 403 (a cookie alone cannot post here from
// another site), a bad buyer id 400 before anything is written.
import type { Services } from "@leadflow/api";
import { sha256Hex } from "@leadflow/api";
import { makeOrgUser, silentLog } from "@leadflow/api/testing";
import { dncNumbers, insertSession, suppressions, suppressionUploads, type Db } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { systemClock, type UserRole } from "@leadflow/engine";
import type { FastifyInstance } from "fastify";
import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp, SESSION_COOKIE } from "./app";

let t: TestDb;
let app: FastifyInstance;
let base: string;

async function signIn(db: Db, role: UserRole): Promise<string> {
  const user = await makeOrgUser(db, role);
  const token = randomBytes(24).toString("hex");
  const now = new Date();
  await insertSession(db, {
    tokenHash: sha256Hex(token),
    userId: user.id,
    expiresAt: new Date(now.getTime() + 3600_000),
    createdAt: now,
  });
  return `${SESSION_COOKIE}=${token}`;
}

const post = async (path: string, body: string | Readable, headers: Record<string, string>) => {
  const r = await request(`${base}${path}`, { method: "POST", body, headers });
  return { status: r.statusCode, body: (await r.body.json()) as Record<string, unknown> };
};

let admin = "";
let seller = "";

beforeAll(async () => {
  t = await createTestDb();
  const services: Services = { db: t.db, clock: systemClock, log: silentLog, publicUrl: "http://127.0.0.1" };
  app = await buildApp({ services, dashboardDir: "/nonexistent" });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const addr = app.server.address();
  base = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
  admin = await signIn(t.db, "admin");
  seller = await signIn(t.db, "seller");
});
afterAll(async () => {
  await app?.close();
  await t?.drop();
});

const csvHeaders = (cookie: string) => ({ cookie, "content-type": "text/csv", "x-leadflow-upload": "1" });

describe("POST /api/admin/compliance/suppression", () => {
  it("streams an admin's CSV into the global list and answers the per-line report", async () => {
    const lines = ["email", ...Array.from({ length: 3000 }, (_, i) => `person${i}@example.test`), "oops"];
    const chunks = Readable.from(lines.map((l) => `${l}\n`));
    const r = await post("/api/admin/compliance/suppression?fileName=people.csv", chunks, csvHeaders(admin));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ lines: 3002, added: 3000, refused: 1, refusals: [{ line: 3002 }] });
    const [up] = await t.db.select().from(suppressionUploads);
    expect(up).toMatchObject({ fileName: "people.csv", added: 3000, buyerId: null });
    expect((await t.db.select().from(suppressions)).length).toBe(3000);
  });

  it("refuses no session (401), another role (403), no upload header (403) and a bad buyer id (400)", async () => {
    expect(
      (
        await post("/api/admin/compliance/suppression", "9015550100\n", {
          "content-type": "text/csv",
          "x-leadflow-upload": "1",
        })
      ).status,
    ).toBe(401);
    expect((await post("/api/admin/compliance/suppression", "9015550100\n", csvHeaders(seller))).status).toBe(403);
    expect(
      (await post("/api/admin/compliance/suppression", "9015550100\n", { cookie: admin, "content-type": "text/csv" }))
        .status,
    ).toBe(403);
    const bad = await post("/api/admin/compliance/suppression?buyerId=nope", "9015550100\n", csvHeaders(admin));
    expect(bad.status).toBe(400);
    expect((await t.db.select().from(suppressionUploads)).length).toBe(1);
  });
});

describe("POST /api/admin/compliance/dnc", () => {
  it("imports a registry file for an admin", async () => {
    const r = await post("/api/admin/compliance/dnc?fileName=901.txt", "9015550100\n9015550101\nbad\n", {
      ...csvHeaders(admin),
      "content-type": "text/plain",
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ lines: 3, added: 2, refused: 1 });
    expect((await t.db.select().from(dncNumbers)).length).toBe(2);
    expect(
      (await post("/api/admin/compliance/dnc", "9015550102\n", { ...csvHeaders(seller), "content-type": "text/plain" }))
        .status,
    ).toBe(403);
  });
});
