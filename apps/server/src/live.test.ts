// Live updates over real HTTP: two server instances, each with its own pool and LISTEN connection
// on one PostgreSQL database (as two processes would be), and one on embedded PGlite. A change
// written through one reaches the event streams of the other, filtered by organisation.
import type { Services } from "@leadflow/api";
import { sha256Hex } from "@leadflow/api";
import { makeOrgUser, silentLog } from "@leadflow/api/testing";
import { createDb, insertSession, leads, migrateDb, type Db, type DbHandle } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { systemClock, type UserRole } from "@leadflow/engine";
import type { FastifyInstance } from "fastify";
import { randomBytes } from "node:crypto";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp, SESSION_COOKIE } from "./app";

async function start(handle: DbHandle): Promise<{ app: FastifyInstance; base: string }> {
  const services: Services = {
    db: handle.db,
    handle,
    clock: systemClock,
    log: silentLog,
    publicUrl: "http://127.0.0.1",
  };
  const app = await buildApp({ services, dashboardDir: "/nonexistent" });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const addr = app.server.address();
  return { app, base: `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}` };
}

async function signIn(db: Db, role: UserRole): Promise<{ orgId: string; cookie: string }> {
  const user = await makeOrgUser(db, role);
  const token = randomBytes(24).toString("hex");
  const now = new Date();
  await insertSession(db, {
    tokenHash: sha256Hex(token),
    userId: user.id,
    expiresAt: new Date(now.getTime() + 3600_000),
    createdAt: now,
  });
  return { orgId: user.orgId, cookie: `${SESSION_COOKIE}=${token}` };
}

interface Stream {
  /** The next `change` event's data (waits for it). */
  next(): Promise<{ kind: string; id: string }>;
  close(): void;
}

/** Opens GET /api/live and resolves once the server has said the stream is open. */
async function openStream(base: string, cookie: string): Promise<Stream> {
  const ac = new AbortController();
  const res = await request(`${base}/api/live`, { headers: { cookie }, signal: ac.signal });
  expect(res.statusCode).toBe(200);
  expect(res.headers["content-type"]).toMatch(/^text\/event-stream/);
  const queue: { kind: string; id: string }[] = [];
  const waiters: ((e: { kind: string; id: string }) => void)[] = [];
  let buf = "";
  let opened: () => void;
  const isOpen = new Promise<void>((r) => (opened = r));
  res.body.setEncoding("utf8");
  res.body.on("data", (chunk: string) => {
    buf += chunk;
    let i: number;
    while ((i = buf.indexOf("\n\n")) >= 0) {
      const block = buf.slice(0, i);
      buf = buf.slice(i + 2);
      if (block.includes(": open")) opened();
      const data = /^data: (.*)$/m.exec(block);
      if (!data) continue;
      const event = JSON.parse(data[1]!) as { kind: string; id: string };
      const w = waiters.shift();
      if (w) w(event);
      else queue.push(event);
    }
  });
  res.body.on("error", () => {});
  await isOpen;
  return {
    next: () => {
      const e = queue.shift();
      return e ? Promise.resolve(e) : new Promise((r) => waiters.push(r));
    },
    close: () => ac.abort(),
  };
}

async function insertLead(db: Db, sellerOrgId: string): Promise<string> {
  const [row] = await db
    .insert(leads)
    .values({ sellerOrgId, vertical: "roofing", zip: "10001", contact: { firstName: "Ada", lastName: "Live" } })
    .returning({ id: leads.id });
  return row!.id;
}

describe("live updates across two server instances on one PostgreSQL", () => {
  let t: TestDb;
  let second: DbHandle;
  let a: { app: FastifyInstance; base: string };
  let b: { app: FastifyInstance; base: string };

  beforeAll(async () => {
    t = await createTestDb({ max: 3 });
    // The second "process": its own pool and its own LISTEN connection.
    second = await createDb({ databaseUrl: t.url, max: 2 });
    a = await start(t);
    b = await start(second);
  });
  afterAll(async () => {
    await a?.app.close();
    await b?.app.close();
    await second?.close();
    await t?.drop();
  });

  it("refuses a caller without a session", async () => {
    const res = await request(`${b.base}/api/live`);
    expect(res.statusCode).toBe(401);
    expect(((await res.body.json()) as { error: string }).error).toBe("UNAUTHORIZED");
  });

  it("sends a change written through one instance to the other's streams, only to those it concerns", async () => {
    const sellerA = await signIn(t.db, "seller");
    const sellerB = await signIn(t.db, "seller");
    const admin = await signIn(t.db, "admin");
    const streamA = await openStream(b.base, sellerA.cookie);
    const streamAdmin = await openStream(b.base, admin.cookie);
    try {
      // Written through instance a's pool; the streams are on instance b.
      const forB = await insertLead(t.db, sellerB.orgId);
      const forA = await insertLead(t.db, sellerA.orgId);
      // Notifications arrive in commit order: had seller A been sent B's lead, it would come first.
      expect(await streamA.next()).toEqual({ kind: "lead", id: forA });
      expect(await streamAdmin.next()).toEqual({ kind: "lead", id: forB });
      expect(await streamAdmin.next()).toEqual({ kind: "lead", id: forA });
      // A status change is a change too.
      await t.db.execute(`update leads set status = 'UNSOLD' where id = '${forA}'`);
      expect(await streamA.next()).toEqual({ kind: "lead", id: forA });
    } finally {
      streamA.close();
      streamAdmin.close();
    }
  });

  it("closes open streams when the server shuts down", async () => {
    const admin = await signIn(t.db, "admin");
    const extra = await start(second);
    const stream = await openStream(extra.base, admin.cookie);
    // close() would wait for ever on an open stream.
    await extra.app.close();
    stream.close();
  });
});

describe("live updates on embedded PGlite", () => {
  let handle: DbHandle;
  let s: { app: FastifyInstance; base: string };
  beforeAll(async () => {
    handle = await createDb({ dataDir: "memory://" });
    await migrateDb(handle);
    s = await start(handle);
  });
  afterAll(async () => {
    await s?.app.close();
    await handle?.close();
  });

  it("sends a seller's new lead to the seller's stream and not another seller's", async () => {
    const one = await signIn(handle.db, "seller");
    const other = await signIn(handle.db, "seller");
    const streamOne = await openStream(s.base, one.cookie);
    const streamOther = await openStream(s.base, other.cookie);
    try {
      const forOne = await insertLead(handle.db, one.orgId);
      const forOther = await insertLead(handle.db, other.orgId);
      expect(await streamOne.next()).toEqual({ kind: "lead", id: forOne });
      expect(await streamOther.next()).toEqual({ kind: "lead", id: forOther });
    } finally {
      streamOne.close();
      streamOther.close();
    }
  });
});
