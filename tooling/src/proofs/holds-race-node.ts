// One process of the dates-held race proof (holds-race.test.ts): the marketplace services of the
// server (routeLead, handleLeadResponse) on their own connection pool and their own clock, driven
// stage by stage. The plan is a JSON file; stage N starts when `<plan>.go-N` exists, so both
// processes start each stage together. Each operation prints one JSON line; "stage N done" ends it.
//
//   node --import tsx tooling/src/proofs/holds-race-node.ts <plan.json> <role a|b>
import { handleLeadResponse, routeLead, type MarketServices } from "@leadflow/api";
import { createDb, rowsOf } from "@leadflow/db";
import { sql, type SQL } from "drizzle-orm";
import { existsSync, readFileSync } from "node:fs";
import pino from "pino";
import { z } from "zod";

const round = z.object({ x: z.string(), a: z.string(), b: z.string() });
const planSchema = z.object({
  databaseUrl: z.string(),
  /** The instant the offer of lead A to X ends (ms since the epoch). */
  windowEndsAt: z.number(),
  rounds: z.array(round),
});
const [planPath, role] = process.argv.slice(2);
if (!planPath || (role !== "a" && role !== "b")) throw new Error("usage: holds-race-node.ts <plan.json> <a|b>");
const plan = planSchema.parse(JSON.parse(readFileSync(planPath, "utf8")));
const handle = await createDb({ databaseUrl: plan.databaseUrl, max: 4 });
// Each process on its own clock: A's process just inside the window, B's just past it (two
// machines whose clocks disagree by milliseconds, the worst case for the window's edge).
const at = (offsetMs: number) => ({ now: () => new Date(plan.windowEndsAt + offsetMs) });
const log = pino({ level: "silent" });
const services = (offsetMs: number): MarketServices => ({
  db: handle.db,
  clock: at(offsetMs),
  log,
  publicUrl: "http://127.0.0.1:0",
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Polls until the query returns a row (another process did its part), for at most a minute. */
async function waitFor(query: SQL) {
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    if (rowsOf(await handle.db.execute(query)).length > 0) return;
    await sleep(20);
  }
  throw new Error("the other process did not do its part within a minute");
}
const say = (o: object) => process.stdout.write(`${JSON.stringify({ role, ...o })}\n`);

async function attempt(stage: number, i: number, op: string, fn: () => Promise<unknown>) {
  try {
    await fn();
    say({ stage, round: i, op, ok: true });
  } catch (err) {
    say({ stage, round: i, op, ok: false, error: err instanceof Error ? err.message : String(err) });
  }
}

const stages: Record<"a" | "b", Array<(r: z.infer<typeof round>, i: number, stage: number) => Promise<void>>> = {
  // Stage 1: X accepts lead A 1 ms before its window ends / lead B is routed 1 ms after it.
  // Stage 2: X accepts A again / X accepts B (when B was offered to X).
  a: [
    // Rounds i % 3 = 0 race head on; in rounds 1 (mod 3) the accept waits for B's routing, in
    // rounds 2 (mod 3) B's routing waits for the accept, so both orders are always seen.
    async (r, i, st) => {
      if (i % 3 === 1) await waitFor(sql`select 1 from market_leads where id = ${r.b} and phase_seq > 0`);
      await attempt(st, i, "accept A", () =>
        handleLeadResponse(services(-1), { djId: r.x, leadId: r.a, action: "accepted", quoteCents: 100_000 }),
      );
    },
    (r, i, st) =>
      attempt(st, i, "accept A", () =>
        handleLeadResponse(services(-1), { djId: r.x, leadId: r.a, action: "accepted", quoteCents: 100_000 }),
      ),
  ],
  b: [
    async (r, i, st) => {
      if (i % 3 === 2)
        await waitFor(sql`select 1 from lead_assignments where lead_id = ${r.a} and status <> 'offered'`);
      await attempt(st, i, "route B", () => routeLead(services(1), r.b));
    },
    (r, i, st) =>
      attempt(st, i, "accept B", () =>
        handleLeadResponse(services(2), { djId: r.x, leadId: r.b, action: "accepted", quoteCents: 100_000 }),
      ),
  ],
};

process.stdout.write(`ready ${role} pid ${process.pid}\n`);
for (let stage = 1; stage <= stages[role].length; stage++) {
  while (!existsSync(`${planPath}.go-${stage}`)) await sleep(5);
  const run = stages[role][stage - 1]!;
  await Promise.all(plan.rounds.map((r, i) => run(r, i, stage)));
  process.stdout.write(`stage ${stage} done\n`);
}
await handle.close();
