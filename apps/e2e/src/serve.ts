// The server the browser tests drive: a fresh PostgreSQL database with the demo world in it,
// dropped again when Playwright stops us.
import { setPasswordHashCostForTests, TEST_PASSWORD_HASH_COST } from "@leadflow/api/testing";
import { createTestDb } from "@leadflow/db/testing";
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { loadConfig, startServer } from "@leadflow/server";
import { seedDemo } from "@leadflow/tooling";
import { E2E_TWILIO_AUTH_TOKEN } from "./calls-token";

// The demo users' passwords, and any a spec sets, are hashed at the cost the vitest suite uses
// (vitest.setup.ts says why): the specs sign in about 150 times, and at the application's own cost
// each sign-in spent 0.4 s of CPU in scrypt. Verifying uses each hash's own parameters, the real
// code path; auth.test.ts checks the application's cost.
setPasswordHashCostForTests(TEST_PASSWORD_HASH_COST);

const port = Number(process.env.E2E_PORT ?? 3199);
const t = await createTestDb({ max: 2 });
const quiet = { write: () => true } as unknown as NodeJS.WritableStream;
// The call webhook needs the voice provider's token; tests/calls.spec.ts signs with the same one.
const calls = {
  TWILIO_AUTH_TOKEN: process.env.TWILIO_AUTH_TOKEN ?? E2E_TWILIO_AUTH_TOKEN,
  CALLER_HASH_SECRET: randomBytes(32).toString("hex"),
};
// Specs that check the pages' numbers against the database find it here (see tests/db.ts); a
// second server process (serve-peer.ts) finds the database and the shared secret here too.
writeFileSync(
  join(tmpdir(), `leadflow-e2e-${port}.json`),
  JSON.stringify({ databaseUrl: t.url, callerHashSecret: calls.CALLER_HASH_SECRET }),
);
// Every spec signs in as the demo users from 127.0.0.1, on two viewports: far more sign-ins a
// minute than one person makes. The limit itself is tested in tooling/src/proofs-access.
// The demo world's buyers (the simulator's URLs, and the ones specs save) are on loopback.
const config = loadConfig({
  LOGIN_RATE_LIMIT: "1000",
  OUTBOUND_ALLOW: "127.0.0.0/8,::1",
  ...process.env,
  ...calls,
  DATABASE_URL: t.url,
  PORT: String(port),
  HOST: "127.0.0.1",
  LOG_LEVEL: "warn",
});
// Seed before listening, so no test can start before the demo world exists.
await seedDemo(t.db, () => quiet.write(""));
// The specs sell dozens of Memphis roofing leads to the demo contractors, on two viewports, at
// whatever hour CI runs. The demo's business hours (07:00-19:00 in Chicago) and daily caps (15 for
// Bluff City) would make a late spec fail at night or once the day's cap is spent, so the browser
// tests' world takes leads at any hour and without caps. The specs that test hours or caps set
// them themselves; the rules are proven in the engine and the sale's property tests.
const sql = postgres(t.url, { max: 1, onnotice: () => {} });
await sql`update buyers set hours = null, cap_daily = null, cap_weekly = null, cap_monthly = null where type = 'CONTRACTOR'`;
await sql.end({ timeout: 5 });
const running = await startServer(config);
process.stdout.write(`e2e server on ${running.url} (database ${t.name})\n`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await running.close().catch(() => {});
  await t.drop().catch(() => {});
  process.exit(0);
}
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.once(sig, () => void stop());
