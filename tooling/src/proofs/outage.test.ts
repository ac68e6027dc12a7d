// Database outages (issue 13, item 1). The real server runs as three child processes, each kind
// there is (HTTP and workers in one process; an HTTP-only one; a worker-only one), all reaching
// PostgreSQL through a TCP proxy on loopback. While auctions (REST intake, queued and waited),
// phased routings (public inquiries, DJs accepting and unlocking) and signed webhook deliveries
// flow, the proxy is cut (every connection destroyed, new ones refused) and restored a few times,
// as a managed database's failover or a pooler's restart would. Then:
// - no process exited;
// - every request sent during a cut that failed was a 503 with Retry-After (REST: {error:
//   "UNAVAILABLE", message}; tRPC: SERVICE_UNAVAILABLE), never a 500, never a dropped or reset
//   connection (an answer slower than a minute on a busy machine is counted, not failed: the
//   drain below needs every request to end), and /healthz said 503 naming what was down while
//   the database was gone and 200 once it was back;
// - after the last restore, every lead ends once, nothing is sold, delivered or charged twice,
//   every routing settles: the invariants crash.test.ts checks;
// - no log line carries a secret's hash or a person's contact details (the failed queries'
//   parameters are not logged).
//
// Replay with PROOF_SEED=<the printed seed>; PROOF_CUTS sets the number of cuts.
import { closeBuyerAgent, sha256Hex } from "@leadflow/api";
import { mulberry32, startBuyerSim, type BuyerSim } from "@leadflow/buyer-sim";
import { rowsOf } from "@leadflow/db";
import { createTestDb, type TestDb } from "@leadflow/db/testing";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import {
  callWithHeaders,
  DIRECT_ZIP,
  expectDeliveredOnce,
  expectLeadsEndedOnce,
  expectRoutingsSettledOnce,
  leadBody,
  NET_ZIP,
  PROOF_SERVER,
  seedProofWorld,
  sleep,
  startChild,
  startDbProxy,
  waitUntil,
  type Child,
  type DbProxy,
  type HeadedAnswer,
  type ProofWorld,
} from "./harness";

const SEED = Number(process.env.PROOF_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CUTS = Number(process.env.PROOF_CUTS ?? 3);
/** The combined process and the HTTP-only one; the worker-only process does not listen. */
const PORTS = [3340, 3341];
const rng = mulberry32(SEED);
const between = (a: number, b: number) => a + Math.floor(rng() * (b - a));
const say = (line: string) => process.stderr.write(`[outage proof] ${line}\n`);

let t: TestDb;
let sim: BuyerSim;
let world: ProofWorld;
let proxy: DbProxy;
const children: { name: string; child: Child }[] = [];

beforeAll(async () => {
  say(`seed ${SEED} (replay with PROOF_SEED=${SEED}), ${CUTS} cuts`);
  t = await createTestDb({ max: 4 });
  sim = await startBuyerSim({ seed: SEED });
  world = await seedProofWorld(t.db, sim);
  // One-minute windows (the shortest allowed): silent-city inquiries need their timer to fire.
  await t.db.execute(
    sql`insert into market_settings (id, routing, updated_at) values ('default', ${JSON.stringify({ exclusiveWindowMinutes: 1, tierExpansionWindowMinutes: 1, broadcastWindowMinutes: 1 })}::jsonb, now())`,
  );
  proxy = await startDbProxy(t.url);
});

afterAll(async () => {
  for (const { child } of children) child.kill("SIGTERM");
  await Promise.race([Promise.all(children.map((c) => c.child.exited)), sleep(8000)]);
  for (const { child } of children) child.kill("SIGKILL");
  await proxy?.close();
  await sim?.close();
  await closeBuyerAgent();
  await t?.drop();
});

const q = async <T>(query: ReturnType<typeof sql>) => rowsOf<T>(await t.db.execute(query));

it(`every process survives ${CUTS} database outages: 503 with Retry-After meanwhile, then every lead ends once, nothing sold, delivered or charged twice`, async () => {
  const started = Date.now();
  const env = (extra: Record<string, string>) => ({
    DATABASE_URL: proxy.url(t.url),
    HOST: "127.0.0.1",
    DASHBOARD_DIR: "/nonexistent-dashboard",
    INQUIRY_RATE_LIMIT: "1000000",
    INTAKE_RATE_LIMIT_PER_ADDRESS: "1000000",
    LOG_LEVEL: "warn",
    ...extra,
  });
  // Every line the processes log, to look for secrets in afterwards.
  const logLines: string[] = [];
  const onLine = (line: string) => logLines.push(line);
  children.push(
    {
      name: "http+workers",
      child: startChild(PROOF_SERVER, env({ PORT: String(PORTS[0]), RUN_WORKERS: "true" }), [], { onLine }),
    },
    {
      name: "http only",
      child: startChild(PROOF_SERVER, env({ PORT: String(PORTS[1]), RUN_WORKERS: "false" }), [], { onLine }),
    },
    {
      name: "workers only",
      child: startChild(PROOF_SERVER, env({ PORT: "0", RUN_HTTP: "false", RUN_WORKERS: "true" }), [], {
        readyWhen: "ready (worker)",
        onLine,
      }),
    },
  );
  await Promise.all(children.map((c) => c.child.ready));
  const exits: string[] = [];
  for (const { name, child } of children)
    void child.exited.then((code) => exits.push(`${name} exited (${code}):\n${child.output().slice(-4000)}`));
  say(`3 processes ready after ${((Date.now() - started) / 1000).toFixed(0)} s`);

  let turn = 0;
  const base = () => `http://127.0.0.1:${PORTS[turn++ % PORTS.length]}`;

  // Every answer is judged: a success, a 503 that says to come back (counted), or wrong.
  const wrong: string[] = [];
  const unavailable = { rest: 0, trpc: 0 };
  let slow = 0;
  const judge = (what: string, kind: "rest" | "trpc", r: HeadedAnswer | { failed: unknown }): HeadedAnswer | null => {
    if ("failed" in r) {
      const e = r.failed as { code?: string; message?: string };
      // No answer within a minute: the machine is busy (slow is not wrong here; a request that
      // never ends would keep its lead or inquiry from being acknowledged, which fails the drain).
      // A connection closed or reset without an answer is wrong.
      if (e.code === "UND_ERR_HEADERS_TIMEOUT" || e.code === "UND_ERR_BODY_TIMEOUT") slow++;
      else wrong.push(`${what}: no answer (${e.code ?? e.message ?? String(r.failed)})`);
      return null;
    }
    if (r.status === 503) {
      const retryAfter = Number(r.headers["retry-after"]);
      const code =
        kind === "rest"
          ? (r.body as { error?: string }).error
          : (r.body as { error?: { data?: { code?: string } } }).error?.data?.code;
      const message =
        kind === "rest"
          ? (r.body as { message?: string }).message
          : (r.body as { error?: { message?: string } }).error?.message;
      if (
        !(Number.isInteger(retryAfter) && retryAfter > 0) ||
        code !== (kind === "rest" ? "UNAVAILABLE" : "SERVICE_UNAVAILABLE") ||
        typeof message !== "string"
      ) {
        wrong.push(
          `${what}: 503 without Retry-After or the documented body: ${JSON.stringify(r.headers["retry-after"])} ${JSON.stringify(r.body).slice(0, 300)}`,
        );
      }
      unavailable[kind]++;
      return null;
    }
    if (r.status >= 500) wrong.push(`${what}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
    return r;
  };
  const send = async (what: string, kind: "rest" | "trpc", url: string, init: Parameters<typeof callWithHeaders>[1]) =>
    judge(what, kind, await callWithHeaders(url, init).catch((failed: unknown) => ({ failed })));
  const trpcCall = (path: string, input: unknown, cookie?: string) =>
    send(path, "trpc", `${base()}/trpc/${path}`, { body: input, headers: cookie ? { cookie } : {} });

  // Sellers: a lead every 400 ms, 30 % of them waiting for the auction; a lead without a 200/201
  // is sent again with the same externalId until it gets one.
  const unacked = new Map<string, { body: ReturnType<typeof leadBody>; wait: boolean }>();
  const acked = new Map<string, string>();
  const refused: string[] = [];
  let streaming = true;
  let inFlight = 0;
  let seq = 0;
  const sendLead = async (ext: string) => {
    const l = unacked.get(ext);
    if (!l || inFlight >= 12) return;
    inFlight++;
    try {
      const r = await send(`lead ${ext}`, "rest", `${base()}/api/v1/leads${l.wait ? "?wait=1" : ""}`, {
        body: l.body,
        headers: { authorization: `Bearer ${world.apiKey}` },
      });
      if (!r) return;
      if (r.status === 200 || r.status === 201) {
        acked.set(ext, (r.body as { id: string }).id);
        unacked.delete(ext);
      } else if (r.status < 500) {
        refused.push(`${ext}: ${r.status} ${JSON.stringify(r.body)}`);
        unacked.delete(ext);
      }
    } finally {
      inFlight--;
    }
  };
  const leadLoop = (async () => {
    let tick = 0;
    while (streaming || unacked.size > 0) {
      if (streaming) {
        const ext = `outage-${++seq}`;
        unacked.set(ext, { body: leadBody(ext, rng() < 0.6 ? NET_ZIP : DIRECT_ZIP), wait: rng() < 0.3 });
        void sendLead(ext);
      }
      if (++tick % 3 === 0) for (const ext of [...unacked.keys()].slice(0, 8)) void sendLead(ext);
      await sleep(400);
    }
  })();

  // Customers: an inquiry every 1.5 s (the silent city's only at first: their timers take a
  // minute), sent again after a 503.
  let inquiring = true;
  let inquiriesAcked = 0;
  let dateSeq = 0;
  const inquiryLoop = (async () => {
    const pending: Promise<void>[] = [];
    while (inquiring) {
      const pick = rng();
      const early = Date.now() - started < 25_000;
      const city = pick < 0.6 ? world.answeringCity : pick < 0.8 || !early ? world.emptyCity : world.silentCity;
      const date = new Date(Date.now() + (60 + ++dateSeq) * 86_400_000).toISOString().slice(0, 10);
      const input = {
        name: "Casey Outage",
        email: `casey${dateSeq}@example.test`,
        city,
        state: "TN",
        eventType: "wedding",
        eventDate: date,
        budgetMinDollars: 1000,
        budgetMaxDollars: 1500,
      };
      pending.push(
        (async () => {
          for (let attempt = 0; attempt < 60; attempt++) {
            const r = await trpcCall("marketPublic.inquire", input);
            if (r?.status === 200) {
              inquiriesAcked++;
              return;
            }
            if (r) {
              refused.push(`inquiry: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
              return;
            }
            await sleep(between(500, 1500));
          }
        })(),
      );
      await sleep(1500);
    }
    await Promise.all(pending);
  })();

  // The answering city's DJs accept every offer they see and pay to unlock the contact.
  const cookieOf = new Map(world.djs.map((d) => [d.id, d.cookie]));
  let botRunning = true;
  const botLoop = (async () => {
    while (botRunning) {
      const todo = await q<{ lead_id: string; dj_id: string; status: string }>(sql`
        select a.lead_id, a.dj_id, a.status from lead_assignments a join djs d on d.id = a.dj_id
        where d.city = ${world.answeringCity} and (a.status = 'offered' and a.window_ends_at > now()
          or a.status = 'accepted' and not exists (select 1 from contact_unlocks u where u.lead_id = a.lead_id and u.dj_id = a.dj_id))
        limit 20`).catch(() => []);
      await Promise.all(
        todo.map((a) =>
          a.status === "offered"
            ? trpcCall(
                "marketDj.respond",
                { leadId: a.lead_id, action: "accepted", quoteDollars: 1200 },
                cookieOf.get(a.dj_id),
              )
            : trpcCall("marketDj.unlock", { leadId: a.lead_id }, cookieOf.get(a.dj_id)),
        ),
      );
      await sleep(300);
    }
  })();

  // What /healthz says on each HTTP process, polled throughout.
  const health = PORTS.map(() => ({ status: 0, body: null as unknown }));
  let watching = true;
  const healthLoop = (async () => {
    while (watching) {
      await Promise.all(
        PORTS.map(async (port, i) => {
          const r = await callWithHeaders(`http://127.0.0.1:${port}/healthz`, { method: "GET" }).catch(
            (failed: unknown) => ({ failed }),
          );
          if ("failed" in r) wrong.push(`/healthz on :${port}: no answer (${String(r.failed)})`);
          else health[i] = { status: r.status, body: r.body };
        }),
      );
      await sleep(150);
    }
  })();
  // A process that exited fails the wait at once (the exit and its output are the failure).
  const healthIs = (status: number) => {
    if (exits.length > 0) throw new Error(`a process exited: ${exits.join("\n")}`);
    return health.every((h) => h.status === status);
  };

  const stopTraffic = async () => {
    streaming = false;
    inquiring = false;
    botRunning = false;
    watching = false;
    await Promise.allSettled([leadLoop, inquiryLoop, botLoop, healthLoop]);
  };

  // The outages: a few seconds of traffic, then the database goes away for 3-6 s and comes back.
  try {
    await sleep(between(4000, 7000));
    for (let cut = 1; cut <= CUTS; cut++) {
      const holdMs = between(3000, 6000);
      await proxy.cut({ reset: cut % 2 === 0 });
      const cutAt = Date.now();
      await waitUntil("/healthz to say 503 on both HTTP processes", async () => healthIs(503), 90_000, 100);
      for (const h of health) {
        expect(h.body).toMatchObject({ ok: false, error: "UNAVAILABLE" });
        const { db, queue } = h.body as { db: string; queue: string };
        expect([db, queue], "/healthz names what is down").toContain("down");
      }
      await sleep(Math.max(0, holdMs - (Date.now() - cutAt)));
      await proxy.restore();
      await waitUntil("/healthz to say 200 again on both HTTP processes", async () => healthIs(200), 90_000, 100);
      for (const h of health) expect(h.body).toMatchObject({ ok: true, db: "up" });
      say(
        `cut ${cut}: ${holdMs} ms; ${acked.size} leads acknowledged, ${unacked.size} waiting; 503s so far: ${JSON.stringify(unavailable)}`,
      );
      await sleep(between(4000, 8000));
    }
  } catch (err) {
    say(
      `failed: health ${JSON.stringify(health)}; wrong answers ${JSON.stringify(wrong.slice(-8))}; output:\n${children.map((c) => `── ${c.name}\n${c.child.output().slice(-2500)}`).join("\n")}`,
    );
    await proxy.restore();
    await stopTraffic();
    throw err;
  }
  streaming = false;
  inquiring = false;
  await leadLoop;
  await inquiryLoop;

  // After the last restore: everything finishes.
  const openStates = sql`('pending', 'scoring', 'routing', 'exclusive', 'tier_expansion', 'broadcast')`;
  let open: Record<string, number> = {};
  try {
    await waitUntil(
      "every lead, timer and delivery to finish",
      async () => {
        const rows = await q<Record<string, number>>(sql`select
          (select count(*)::int from leads where status in ('RECEIVED', 'PROCESSING')) as leads,
          (select count(*)::int from deliveries where status in ('pending', 'failed')) as deliveries,
          (select count(*)::int from market_leads where state in ${openStates}) as routings,
          (select count(*)::int from lead_assignments a join djs d on d.id = a.dj_id where d.city = ${world.answeringCity}
             and a.status = 'accepted' and not exists (select 1 from contact_unlocks u where u.lead_id = a.lead_id and u.dj_id = a.dj_id)) as unlocks`);
        open = rows[0] ?? {};
        return Object.values(open).every((n) => n === 0);
      },
      150_000,
      500,
    );
  } catch (err) {
    say(
      `still open: ${JSON.stringify(open)}; output:\n${children.map((c) => `── ${c.name}\n${c.child.output().slice(-3000)}`).join("\n")}`,
    );
    throw err;
  } finally {
    await stopTraffic();
  }

  // ── No process exited; every request was answered, and a 503 said when to come back. ──
  expect(exits, "processes that exited").toEqual([]);
  expect(wrong, "requests answered 5xx other than 503, or dropped").toEqual([]);
  expect(refused, "requests refused").toEqual([]);
  expect(unavailable.rest, "lead POSTs answered 503 during the cuts").toBeGreaterThan(0);
  expect(unavailable.trpc, "tRPC calls answered 503 during the cuts").toBeGreaterThan(0);

  // ── The same invariants as after SIGKILLs. ──
  expect(unacked.size).toBe(0);
  const leads = await expectLeadsEndedOnce(q, world, acked);
  const deliveries = await expectDeliveredOnce(q, world, sim);
  const market = await expectRoutingsSettledOnce(q, inquiriesAcked);
  expect(deliveries.webhooks).toBeGreaterThan(0);
  expect(market.unlocks).toBeGreaterThan(0);

  // ── The outage was logged, without a secret's hash or a person's contact details. ──
  const log = logLines.join("\n");
  expect(log, "the outage is in the logs").toMatch(/database/i);
  const hashes = [sha256Hex(world.apiKey), ...world.djs.map((d) => sha256Hex(d.cookie.split("=")[1]!))];
  expect(
    hashes.filter((h) => log.includes(h)).map((h) => h.slice(0, 12)),
    "secret hashes in the logs",
  ).toEqual([]);
  expect(log).not.toContain(world.apiKey);
  expect(
    log.match(/pat\d+@example\.test|"214\d{7}"|casey\d+@example\.test/g) ?? [],
    "contact details in the logs",
  ).toEqual([]);

  say(
    `seed ${SEED}: ${CUTS} cuts; ${acked.size} leads (${leads.sold} sold, ${leads.unsold} unsold, ${leads.swept} ended by the sweep), ` +
      `${deliveries.webhooks} webhooks (${deliveries.redelivered} received again under the same id), ${market.inquiries} inquiries ` +
      `(${market.accepted} accepted, ${market.concierge} concierge), ${market.unlocks} unlocks; 503s: ${JSON.stringify(unavailable)}, ${slow} answers slower than a minute; ` +
      `${logLines.length} log lines; wall ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
}, 420_000);
