// What the crash and scale proofs share: the real server started as a child process (so it can
// be killed with SIGKILL), a small world of buyers pointing at buyer-sim, and HTTP clients that
// talk to the server the way sellers, customers and DJs do.
import { createApiKey, sha256Hex } from "@leadflow/api";
import type { BuyerSim } from "@leadflow/buyer-sim";
import { buyers, buyerZips, creditLedger, djs, orgs, sessions, users, verticals, type Db } from "@leadflow/db";
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { request } from "undici";

export const SERVER_DIR = fileURLToPath(new URL("../..", import.meta.url));
export const PROOF_SERVER = fileURLToPath(new URL("./proof-server.ts", import.meta.url));
export const MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));

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
export function startChild(entry: string, env: Record<string, string>, args: string[] = [], opts: { readyWhen?: string; onLine?: (line: string) => void } = {}): Child {
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
export async function seedProofWorld(db: Db, sim: BuyerSim, opts: { contractorFailure?: number } = {}): Promise<ProofWorld> {
  const [seller] = await db.insert(orgs).values({ name: "Proof seller", kind: "seller" }).returning();
  const [buyerOrg] = await db.insert(orgs).values({ name: "Proof buyers", kind: "contractor" }).returning();
  await db.insert(verticals).values({ key: VERTICAL, name: "Roofing", floorCents: 0 });
  const apiKey = (await createApiKey(db, seller!.id, "proof")).key;
  const base = { orgId: buyerOrg!.id, verticals: [VERTICAL], timeZone: "America/Chicago", duplicateLookbackDays: 0 };

  const nets: [string, Parameters<BuyerSim["setBuyer"]>[1]][] = [
    ["n-fast", { kind: "network", bid: { kind: "fixed", value: 30 }, latencyMs: { kind: "uniform", min: 2, max: 30 }, rejectRate: 0.3 }],
    ["n-mid", { kind: "network", bid: { kind: "uniform", min: 10, max: 28 }, latencyMs: { kind: "uniform", min: 10, max: 80 }, rejectRate: 0.2 }],
    ["n-slow", { kind: "network", bid: { kind: "fixed", value: 20 }, latencyMs: { kind: "uniform", min: 50, max: 200 } }],
    ["n-shy", { kind: "network", noBidProbability: 0.6, bid: { kind: "fixed", value: 25 } }],
  ];
  const networks: string[] = [];
  for (const [simId, cfg] of nets) {
    sim.setBuyer(simId, cfg);
    const [b] = await db
      .insert(buyers)
      .values({ ...base, type: "NETWORK", name: `net ${simId}`, pingUrl: sim.pingUrl(simId), postUrl: sim.postUrl(simId), pingTimeoutMs: 400 })
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
    sim.setBuyer(c.simId, { kind: "contractor", secret: key, failureProbability: opts.contractorFailure ?? 0.15, latencyMs: { kind: "uniform", min: 1, max: 20 } });
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
      const [org] = await db.insert(orgs).values({ name: `DJ ${city} ${i}`, kind: "dj" }).returning();
      const [u] = await db
        .insert(users)
        .values({ orgId: org!.id, email: `dj.${city.toLowerCase()}.${i}@example.test`, name: `DJ ${i}`, role: "dj", passwordHash: "scrypt$1$1$1$AA$AA" })
        .returning();
      const [dj] = await db
        .insert(djs)
        .values({ orgId: org!.id, name: `DJ ${city} ${i}`, city, state: "TN", tier: "standard", priceMinCents: 50_000, priceMaxCents: 300_000, routingScore: 50 + i, credits: initialCredits })
        .returning();
      await db.insert(creditLedger).values({ djId: dj!.id, kind: "grant", credits: initialCredits, balanceAfter: initialCredits, reference: "proof", createdAt: new Date() });
      // A session made the way login makes one (only the token's SHA-256 is stored), without scrypt.
      const token = randomBytes(32).toString("base64url");
      await db.insert(sessions).values({ tokenHash: sha256Hex(token), userId: u!.id, expiresAt: new Date(Date.now() + 86_400_000), createdAt: new Date() });
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
    contact: { firstName: "Pat", lastName: "Proof", phone: `214${String(n).padStart(7, "0")}`, email: `pat${n}@example.test` },
    consent: { trustedFormCertUrl: "https://cert.trustedform.com/proof" },
  };
}

export interface HttpAnswer {
  status: number;
  body: unknown;
}

/** One request with a deadline; network errors (the server is dead) throw. */
export async function call(url: string, init: { method?: "GET" | "POST"; body?: unknown; headers?: Record<string, string>; timeoutMs?: number }): Promise<HttpAnswer> {
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
