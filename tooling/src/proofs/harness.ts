// What the crash and scale proofs share: the real server started as a child process (so it can
// be killed with SIGKILL), a small world of buyers pointing at buyer-sim, and HTTP clients that
// talk to the server the way sellers, customers and DJs do.
import { createApiKey, sha256Hex } from "@leadflow/api";
import type { BuyerSim } from "@leadflow/buyer-sim";
import { buyers, buyerZips, creditLedger, djs, orgs, sessions, users, verticals, type Db } from "@leadflow/db";
import { sql } from "drizzle-orm";
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { randomBytes } from "node:crypto";
import { connect, createServer, type AddressInfo, type Socket } from "node:net";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { request } from "undici";
import { expect } from "vitest";

// The children run from the server's folder, as `pnpm --filter @leadflow/server start` would run them.
const resolve = createRequire(import.meta.url).resolve;
export const SERVER_DIR = dirname(resolve("@leadflow/server/package.json"));
export const PROOF_SERVER = fileURLToPath(new URL("./proof-server.ts", import.meta.url));
export const MAIN = resolve("@leadflow/server/main");

export interface Child {
  pid: number;
  /** Resolves once the process printed "ready". */
  ready: Promise<void>;
  exited: Promise<number | null>;
  output(): string;
  kill(signal: NodeJS.Signals): void;
}

/**
 * Starts `entry` under node with the tsx loader, as one process (no tsx wrapper in between, so the
 * SIGKILL reaches the server itself). `env` is added to this process's environment. Ready when a
 * line of its output contains `readyWhen`; `onLine` sees every line of stdout.
 */
export function startChild(
  entry: string,
  env: Record<string, string>,
  args: string[] = [],
  opts: { readyWhen?: string; onLine?: (line: string) => void } = {},
): Child {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", entry, ...args], {
    cwd: SERVER_DIR,
    // The proofs' buyers (buyer-sim) listen on loopback, which the outbound guard refuses unless allowed.
    env: { ...process.env, LOG_LEVEL: "error", OUTBOUND_ALLOW: "127.0.0.0/8,::1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const readyWhen = opts.readyWhen ?? "ready ";
  let out = "";
  const keep = (b: Buffer | string) => {
    out = (out + b.toString()).slice(-20_000);
  };
  child.stderr!.on("data", keep);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    let partial = "";
    child.stdout!.on("data", (b: Buffer) => {
      const lines = (partial + b.toString()).split("\n");
      partial = lines.pop() ?? "";
      for (const line of lines) {
        keep(`${line}\n`);
        opts.onLine?.(line);
        if (line.includes(readyWhen)) resolve();
      }
    });
    void exited.then((code) => reject(new Error(`server exited (${code}) before it was ready:\n${out}`)));
  });
  ready.catch(() => undefined);
  return { pid: child.pid!, ready, exited, output: () => out, kill: (sig) => child.kill(sig) };
}

export const VERTICAL = "roofing";
/** Zips: networks and contractors buy in NET_ZIP; only contractors in DIRECT_ZIP. */
export const NET_ZIP = "75201";
export const DIRECT_ZIP = "30301";

export interface ProofWorld {
  sellerOrgId: string;
  apiKey: string;
  networks: string[];
  contractors: { id: string; simId: string; cap: number | null }[];
  djs: { id: string; city: string; cookie: string }[];
  /** Cities whose DJs the test answers for, and cities whose DJs never answer. */
  answeringCity: string;
  silentCity: string;
  emptyCity: string;
  initialCredits: number;
}

export const secret = () => `whsec_${randomBytes(24).toString("base64")}`;

/** Buyers (4 networks, 3 contractors with signed webhooks), DJs with sessions, a seller with a key. */
export async function seedProofWorld(
  db: Db,
  sim: BuyerSim,
  opts: { contractorFailure?: number } = {},
): Promise<ProofWorld> {
  const [seller] = await db.insert(orgs).values({ name: "Proof seller", kind: "seller" }).returning();
  const [buyerOrg] = await db.insert(orgs).values({ name: "Proof buyers", kind: "contractor" }).returning();
  await db.insert(verticals).values({ key: VERTICAL, name: "Roofing", floorCents: 0 });
  const apiKey = (await createApiKey(db, seller!.id, "proof")).key;
  const base = { orgId: buyerOrg!.id, verticals: [VERTICAL], timeZone: "America/Chicago", duplicateLookbackDays: 0 };

  const nets: [string, Parameters<BuyerSim["setBuyer"]>[1]][] = [
    [
      "n-fast",
      {
        kind: "network",
        bid: { kind: "fixed", value: 30 },
        latencyMs: { kind: "uniform", min: 2, max: 30 },
        rejectRate: 0.3,
      },
    ],
    [
      "n-mid",
      {
        kind: "network",
        bid: { kind: "uniform", min: 10, max: 28 },
        latencyMs: { kind: "uniform", min: 10, max: 80 },
        rejectRate: 0.2,
      },
    ],
    [
      "n-slow",
      { kind: "network", bid: { kind: "fixed", value: 20 }, latencyMs: { kind: "uniform", min: 50, max: 200 } },
    ],
    ["n-shy", { kind: "network", noBidProbability: 0.6, bid: { kind: "fixed", value: 25 } }],
  ];
  const networks: string[] = [];
  for (const [simId, cfg] of nets) {
    sim.setBuyer(simId, cfg);
    const [b] = await db
      .insert(buyers)
      .values({
        ...base,
        type: "NETWORK",
        name: `net ${simId}`,
        pingUrl: sim.pingUrl(simId),
        postUrl: sim.postUrl(simId),
        pingTimeoutMs: 400,
      })
      .returning();
    await db.insert(buyerZips).values({ buyerId: b!.id, zip: NET_ZIP, priority: 1 });
    networks.push(b!.id);
  }

  const contractors: ProofWorld["contractors"] = [];
  const cons = [
    { simId: "c-exclusive", price: 3500, mode: "EXCLUSIVE" as const, priority: 1, cap: null },
    { simId: "c-shared", price: 3000, mode: "SHARED" as const, priority: 2, cap: null },
    { simId: "c-capped", price: 2500, mode: "SHARED" as const, priority: 2, cap: 25 },
  ];
  for (const c of cons) {
    const key = secret();
    sim.setBuyer(c.simId, {
      kind: "contractor",
      secret: key,
      failureProbability: opts.contractorFailure ?? 0.15,
      latencyMs: { kind: "uniform", min: 1, max: 20 },
    });
    const [b] = await db
      .insert(buyers)
      .values({
        ...base,
        type: "CONTRACTOR",
        name: `contractor ${c.simId}`,
        pricingModel: "FIXED",
        fixedLeadPriceCents: c.price,
        deliveryMode: c.mode,
        maxSharedLeads: 2,
        capDaily: c.cap,
        notifyWebhook: true,
        notifyDashboard: true,
        notifyEmail: c.simId === "c-shared",
        notificationEmail: `${c.simId}@example.test`,
        webhookUrl: sim.webhookUrl(c.simId),
        webhookSecret: key,
      })
      .returning();
    await db.insert(buyerZips).values({ buyerId: b!.id, zip: "*", priority: c.priority });
    contractors.push({ id: b!.id, simId: c.simId, cap: c.cap });
  }

  const initialCredits = 1000;
  const djList: ProofWorld["djs"] = [];
  const cities = [
    ["Answerville", 4],
    ["Silentburg", 1],
  ] as const;
  for (const [city, n] of cities) {
    for (let i = 0; i < n; i++) {
      const [org] = await db
        .insert(orgs)
        .values({ name: `DJ ${city} ${i}`, kind: "dj" })
        .returning();
      const [u] = await db
        .insert(users)
        .values({
          orgId: org!.id,
          email: `dj.${city.toLowerCase()}.${i}@example.test`,
          name: `DJ ${i}`,
          role: "dj",
          passwordHash: "scrypt$1$1$1$AA$AA",
        })
        .returning();
      const [dj] = await db
        .insert(djs)
        .values({
          orgId: org!.id,
          name: `DJ ${city} ${i}`,
          city,
          state: "TN",
          tier: "standard",
          priceMinCents: 50_000,
          priceMaxCents: 300_000,
          routingScore: 50 + i,
          credits: initialCredits,
        })
        .returning();
      await db.insert(creditLedger).values({
        djId: dj!.id,
        kind: "grant",
        credits: initialCredits,
        balanceAfter: initialCredits,
        reference: "proof",
        createdAt: new Date(),
      });
      // A session made the way login makes one (only the token's SHA-256 is stored), without scrypt.
      const token = randomBytes(32).toString("base64url");
      await db.insert(sessions).values({
        tokenHash: sha256Hex(token),
        userId: u!.id,
        expiresAt: new Date(Date.now() + 86_400_000),
        createdAt: new Date(),
      });
      djList.push({ id: dj!.id, city, cookie: `lf_session=${token}` });
    }
  }
  return {
    sellerOrgId: seller!.id,
    apiKey,
    networks,
    contractors,
    djs: djList,
    answeringCity: "Answerville",
    silentCity: "Silentburg",
    emptyCity: "Nobodyton",
    initialCredits,
  };
}

let phoneSeq = 3_000_000;
export function leadBody(externalId: string, zip: string) {
  const n = ++phoneSeq;
  return {
    vertical: VERTICAL,
    zip,
    state: "TX",
    externalId,
    contact: {
      firstName: "Pat",
      lastName: "Proof",
      phone: `214${String(n).padStart(7, "0")}`,
      email: `pat${n}@example.test`,
    },
    consent: { trustedFormCertUrl: "https://cert.trustedform.com/proof" },
  };
}

export interface HttpAnswer {
  status: number;
  body: unknown;
}

/** One request with a deadline; network errors (the server is dead) throw. */
export async function call(
  url: string,
  init: { method?: "GET" | "POST"; body?: unknown; headers?: Record<string, string>; timeoutMs?: number },
): Promise<HttpAnswer> {
  const res = await request(url, {
    method: init.method ?? "POST",
    headers: { "content-type": "application/json", ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    // A fresh connection each time: a kept-alive socket to a killed server fails without the
    // request ever reaching anyone, which would blur "lost to a kill" and "never sent".
    reset: true,
    headersTimeout: init.timeoutMs ?? 15_000,
    bodyTimeout: init.timeoutMs ?? 15_000,
  });
  const text = await res.body.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.statusCode, body };
}

export function trpc(base: string, path: string, input: unknown, cookie?: string) {
  return call(`${base}/trpc/${path}`, { body: input, headers: cookie ? { cookie } : {} });
}

export function postLead(base: string, apiKey: string, body: unknown, wait: boolean) {
  return call(`${base}/api/v1/leads${wait ? "?wait=1" : ""}`, { body, headers: { authorization: `Bearer ${apiKey}` } });
}

export async function waitUntil(what: string, check: () => Promise<boolean>, ms: number, every = 250): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, every));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ── The outage proof's parts (outage.test.ts): a PostgreSQL that can be cut, and the invariants a
// run must keep whatever happened to its processes or their database. ──

/**
 * A TCP proxy on loopback in front of PostgreSQL that a test can cut (every connection through it
 * destroyed, new ones refused: the port stops listening) and restore (listening again on the same
 * port). What a server sees when its managed database fails over or its pooler restarts.
 */
export interface DbProxy {
  port: number;
  /** `dbUrl` with its host and port replaced by the proxy's. */
  url(dbUrl: string): string;
  /** Destroys every connection (`reset`: with a TCP RST instead of a FIN) and stops listening. */
  cut(opts?: { reset?: boolean }): Promise<void>;
  restore(): Promise<void>;
  /** Connections through the proxy now. */
  open(): number;
  close(): Promise<void>;
}

export async function startDbProxy(dbUrl: string): Promise<DbProxy> {
  const target = new URL(dbUrl);
  const targetPort = Number(target.port || 5432);
  const targetHost = target.hostname;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(targetPort, targetHost);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      // Either side failing takes the pair down, as a broken network path would.
      s.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
  let port = 0;
  await listen();
  port = (server.address() as AddressInfo).port;
  let listening = true;
  return {
    port,
    url(u) {
      const x = new URL(u);
      x.hostname = "127.0.0.1";
      x.port = String(port);
      return x.toString();
    },
    async cut(opts = {}) {
      if (listening) {
        listening = false;
        server.close();
      }
      for (const s of sockets) {
        if (opts.reset) s.resetAndDestroy();
        else s.destroy();
      }
      sockets.clear();
    },
    async restore() {
      if (listening) return;
      await listen();
      listening = true;
    },
    open: () => sockets.size,
    async close() {
      if (listening) await new Promise<void>((r) => server.close(() => r()));
      listening = false;
      for (const s of sockets) s.destroy();
    },
  };
}

/** An answer with its headers (Retry-After), or the transport error when nothing came back. */
export interface HeadedAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export async function callWithHeaders(
  url: string,
  init: { method?: "GET" | "POST"; body?: unknown; headers?: Record<string, string>; timeoutMs?: number },
): Promise<HeadedAnswer> {
  const res = await request(url, {
    method: init.method ?? "POST",
    headers: { ...(init.body === undefined ? {} : { "content-type": "application/json" }), ...init.headers },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    reset: true,
    // Generous: the machine may be busy; an answer that never comes is what this catches.
    headersTimeout: init.timeoutMs ?? 60_000,
    bodyTimeout: init.timeoutMs ?? 60_000,
  });
  const text = await res.body.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.statusCode, headers: res.headers, body };
}

type Query = <T>(query: ReturnType<typeof sql>) => Promise<T[]>;

/**
 * Every lead the sellers had acknowledged is stored once and ended once (by finalize, its last
 * resort, or the sweep), SOLD iff it has winners, sold exclusively at most once, shared at most
 * maxSharedLeads, caps held. The same checks as crash.test.ts.
 */
export async function expectLeadsEndedOnce(
  q: Query,
  world: ProofWorld,
  acked: Map<string, string>,
): Promise<{ sold: number; unsold: number; swept: number }> {
  const leads = await q<{
    id: string;
    external_id: string;
    status: string;
    finished_at: Date | null;
    winner_count: number;
    revenue_cents: number;
    outcomes: number;
    errors: number;
    swept: number;
  }>(sql`
    select l.id, l.external_id, l.status, l.finished_at, l.winner_count, l.revenue_cents::int as revenue_cents,
      (select count(*)::int from lead_events e where e.lead_id = l.id and e.kind = 'outcome') as outcomes,
      (select count(*)::int from lead_events e where e.lead_id = l.id and e.kind = 'error') as errors,
      (select count(*)::int from lead_events e where e.lead_id = l.id and e.kind = 'error' and e.data->>'error' like '%ended by the sweep%') as swept
    from leads l`);
  expect(leads.length).toBe(acked.size);
  for (const [ext, id] of acked) expect(leads.find((l) => l.external_id === ext)?.id, `lead ${ext}`).toBe(id);
  for (const l of leads) {
    expect(["SOLD", "UNSOLD"], `lead ${l.id}`).toContain(l.status);
    expect(l.finished_at, `lead ${l.id}`).not.toBeNull();
    expect(l.outcomes, `lead ${l.id} outcome events`).toBeLessThanOrEqual(1);
    expect(
      l.outcomes + l.errors,
      `lead ${l.id} ended by finalize, its last resort or the sweep`,
    ).toBeGreaterThanOrEqual(1);
    expect(l.swept, `lead ${l.id} ended by the sweep at most once`).toBeLessThanOrEqual(1);
    if (l.outcomes === 1) expect(l.swept, `lead ${l.id} finalized and swept`).toBe(0);
  }
  const sales = await q<{
    lead_id: string;
    winners: number;
    revenue: number;
    network_winners: number;
    exclusive_winners: number;
    shared_winners: number;
  }>(sql`
    select t.lead_id, count(*)::int as winners, coalesce(sum(t.price_cents), 0)::int as revenue,
      count(*) filter (where b.type = 'NETWORK')::int as network_winners,
      count(*) filter (where b.type = 'CONTRACTOR' and b.delivery_mode = 'EXCLUSIVE')::int as exclusive_winners,
      count(*) filter (where b.type = 'CONTRACTOR' and b.delivery_mode = 'SHARED')::int as shared_winners
    from transactions t join buyers b on b.id = t.buyer_id where t.is_winner group by t.lead_id`);
  const saleOf = new Map(sales.map((s) => [s.lead_id, s]));
  for (const l of leads) {
    const s = saleOf.get(l.id);
    expect(l.winner_count, `lead ${l.id} winner_count`).toBe(s?.winners ?? 0);
    expect(l.revenue_cents, `lead ${l.id} revenue`).toBe(s?.revenue ?? 0);
    expect(l.status === "SOLD", `lead ${l.id} SOLD iff it has winners`).toBe((s?.winners ?? 0) > 0);
    if (!s) continue;
    if (s.network_winners > 0 || s.exclusive_winners > 0)
      expect(s.winners, `lead ${l.id} sold exclusively once`).toBe(1);
    else expect(s.shared_winners, `lead ${l.id} shared at most maxSharedLeads`).toBeLessThanOrEqual(2);
  }
  const capped = world.contractors.find((c) => c.cap !== null)!;
  const [cap] = await q<{ n: number }>(
    sql`select count(*)::int as n from transactions where buyer_id = ${capped.id} and is_winner`,
  );
  expect(cap!.n).toBeLessThanOrEqual(capped.cap!);
  return {
    sold: leads.filter((l) => l.status === "SOLD").length,
    unsold: leads.filter((l) => l.status === "UNSOLD").length,
    swept: leads.filter((l) => l.swept > 0).length,
  };
}

/** Every due delivery delivered; each webhook under one id, verified by its receiver; nothing notified or mailed twice. */
export async function expectDeliveredOnce(
  q: Query,
  world: ProofWorld,
  sim: BuyerSim,
): Promise<{ webhooks: number; redelivered: number }> {
  const owed = await q<{ lead_id: string; methods: string[] | null; statuses: string[] | null }>(sql`
    select t.lead_id, array_agg(d.method::text order by d.method) filter (where d.id is not null) as methods,
      array_agg(d.status::text) filter (where d.id is not null) as statuses
    from transactions t join buyers b on b.id = t.buyer_id join leads l on l.id = t.lead_id
    left join deliveries d on d.lead_id = t.lead_id and d.buyer_id = t.buyer_id
    where t.is_winner and b.type = 'CONTRACTOR' and l.status = 'SOLD' group by t.lead_id, t.buyer_id`);
  for (const o of owed) {
    expect(o.methods ?? [], `deliveries owed for lead ${o.lead_id}`).toContain("WEBHOOK");
    expect(o.methods ?? []).toContain("DASHBOARD");
    for (const st of o.statuses ?? []) expect(st, `delivery of lead ${o.lead_id}`).toBe("delivered");
  }
  const hooks = await q<{ webhook_id: string; lead_id: string; buyer_id: string }>(
    sql`select webhook_id, lead_id, buyer_id from deliveries where method = 'WEBHOOK'`,
  );
  const simIdOf = new Map(world.contractors.map((c) => [c.id, c.simId]));
  const stats = sim.stats();
  const seenIds = new Set<string>();
  let redelivered = 0;
  for (const c of world.contractors) {
    const idsPerLead = new Map<string, Set<string>>();
    for (const r of stats.contractors[c.simId]!.received) {
      seenIds.add(r.webhookId);
      if (r.deliveries > 1) redelivered++;
      const leadId = (r.payload as { data?: { leadId?: string } }).data?.leadId ?? "?";
      idsPerLead.set(leadId, (idsPerLead.get(leadId) ?? new Set()).add(r.webhookId));
    }
    for (const [leadId, ids] of idsPerLead)
      expect(ids.size, `${c.simId} got lead ${leadId} under one webhook-id`).toBe(1);
  }
  for (const h of hooks) {
    const rec = stats.contractors[simIdOf.get(h.buyer_id)!]!.received.find((r) => r.webhookId === h.webhook_id);
    expect(rec, `webhook ${h.webhook_id} of lead ${h.lead_id} reached the receiver`).toBeDefined();
    expect(rec!.verified).toBe(true);
    // Answered 200 at least once. Not necessarily last: after a SIGKILL, the job the dead process
    // held and the retry can both be out, and the later answer may be an injected 500 after the
    // success (the row stays delivered: a failure is never written over it).
    expect(rec!.okAnswers, `webhook ${h.webhook_id} of lead ${h.lead_id} answered 200`).toBeGreaterThan(0);
  }
  expect(seenIds.size).toBe(hooks.length);
  const [dupNotes] = await q<{ n: number }>(
    sql`select count(*)::int as n from (select lead_id, data->>'buyerId' from notifications group by 1, 2 having count(*) > 1) x`,
  );
  expect(dupNotes!.n, "a dashboard notification twice").toBe(0);
  const [dupMail] = await q<{ n: number }>(
    // A lead's email to a buyer org: at most one. Emails of no lead (a couple's link, a DJ's offer,
    // a low balance) have their own keys and are not counted here.
    sql`select count(*)::int as n from (select lead_id, org_id from email_outbox where lead_id is not null group by 1, 2 having count(*) > 1) x`,
  );
  expect(dupMail!.n, "an outbox email twice").toBe(0);
  const [dupId] = await q<{ n: number }>(
    sql`select count(*)::int as n from (select message_id from email_outbox where message_id is not null group by 1 having count(*) > 1) x`,
  );
  expect(dupId!.n, "two outbox emails with one Message-ID").toBe(0);
  return { webhooks: hooks.length, redelivered };
}

/** Every inquiry settled (accepted or with the concierge), each phase started once, credits charged once per unlock. */
export async function expectRoutingsSettledOnce(
  q: Query,
  inquiriesAcked: number,
): Promise<{ inquiries: number; accepted: number; concierge: number; unlocks: number }> {
  const market = await q<{
    id: string;
    lead_state: string;
    starts: number;
    distinct_seqs: number;
    concierge: number;
  }>(sql`
    select m.id, m.state as lead_state,
      (select count(*)::int from market_lead_events e where e.lead_id = m.id and e.kind = 'phase_started') as starts,
      (select count(distinct (e.data->>'seq'))::int from market_lead_events e where e.lead_id = m.id and e.kind = 'phase_started') as distinct_seqs,
      (select count(*)::int from market_lead_events e where e.lead_id = m.id and e.kind = 'concierge') as concierge
    from market_leads m`);
  expect(market.length).toBeGreaterThanOrEqual(inquiriesAcked);
  for (const m of market) {
    expect(["accepted", "concierge"], `market lead ${m.id}`).toContain(m.lead_state);
    expect(m.starts, `market lead ${m.id}: each phase started once`).toBe(m.distinct_seqs);
    expect(m.concierge).toBeLessThanOrEqual(1);
  }
  const [stale] = await q<{ n: number }>(
    sql`select count(*)::int as n from lead_assignments where status = 'offered' and window_ends_at < now() - interval '5 seconds'`,
  );
  expect(stale!.n, "offers whose window passed were expired by their timer").toBe(0);
  const ledger = await q<{
    dj_id: string;
    credits: number;
    ledger_sum: number;
    unlocks: number;
    unlock_entries: number;
    unlock_keys: number;
  }>(sql`
    select d.id as dj_id, d.credits,
      (select coalesce(sum(c.credits), 0)::int from credit_ledger c where c.dj_id = d.id) as ledger_sum,
      (select count(*)::int from contact_unlocks u where u.dj_id = d.id) as unlocks,
      (select count(*)::int from credit_ledger c where c.dj_id = d.id and c.kind = 'unlock') as unlock_entries,
      (select count(distinct c.lead_id)::int from credit_ledger c where c.dj_id = d.id and c.kind = 'unlock') as unlock_keys
    from djs d`);
  let unlocks = 0;
  for (const d of ledger) {
    expect(d.credits, `DJ ${d.dj_id} balance = ledger`).toBe(d.ledger_sum);
    expect(d.unlock_entries, `DJ ${d.dj_id} charged once per unlock`).toBe(d.unlocks);
    expect(d.unlock_keys).toBe(d.unlocks);
    unlocks += d.unlocks;
  }
  return {
    inquiries: market.length,
    accepted: market.filter((m) => m.lead_state === "accepted").length,
    concierge: market.filter((m) => m.lead_state === "concierge").length,
    unlocks,
  };
}
