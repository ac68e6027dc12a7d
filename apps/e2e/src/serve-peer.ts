// A second server process on the e2e server's database (src/serve.ts), as production runs several:
// specs start it to prove that what is written through one process reaches the pages served by
// the other (live updates, docs/architecture.md). PEER_PORT is where it listens; E2E_PORT names
// the first server, whose database and secrets it reads. Stopped by the spec with SIGTERM.
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setPasswordHashCostForTests, TEST_PASSWORD_HASH_COST } from "@leadflow/api/testing";
import { loadConfig, startServer } from "@leadflow/server";
import { E2E_TWILIO_AUTH_TOKEN } from "./calls-token";

// Passwords set through this process are hashed at the e2e server's test cost (serve.ts says why).
setPasswordHashCostForTests(TEST_PASSWORD_HASH_COST);

const port = Number(process.env.E2E_PORT ?? 3199);
const peerPort = Number(process.env.PEER_PORT);
if (!Number.isInteger(peerPort) || peerPort <= 0) throw new Error("PEER_PORT must name the port to listen on");
const shared = JSON.parse(readFileSync(join(tmpdir(), `leadflow-e2e-${port}.json`), "utf8")) as {
  databaseUrl: string;
  callerHashSecret: string;
};
const config = loadConfig({
  LOGIN_RATE_LIMIT: "1000",
  OUTBOUND_ALLOW: "127.0.0.0/8,::1",
  ...process.env,
  TWILIO_AUTH_TOKEN: process.env.TWILIO_AUTH_TOKEN ?? E2E_TWILIO_AUTH_TOKEN,
  CALLER_HASH_SECRET: shared.callerHashSecret,
  DATABASE_URL: shared.databaseUrl,
  PORT: String(peerPort),
  HOST: "127.0.0.1",
  LOG_LEVEL: "warn",
});
const running = await startServer(config);
process.stdout.write(`e2e peer server on ${running.url}\n`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await running.close().catch(() => {});
  process.exit(0);
}
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.once(sig, () => void stop());
