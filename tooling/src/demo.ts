// `npm run demo`: migrates, seeds the demo world (once), starts the server with its workers and
// prints the dashboard URL and the logins.
import { loadConfig, startServer } from "@leadflow/server";
import { printLogins, seedDemo } from "./seed/seed";
import { startDemoTraffic } from "./demo-traffic";

function demoOutboundAllow(simUrl: string | undefined): string {
  let host = "";
  try {
    host = simUrl ? new URL(simUrl).hostname.replace(/^\[|\]$/g, "") : "";
  } catch {
    host = ""; // loadConfig reports the bad BUYER_SIM_URL
  }
  return ["127.0.0.0/8", "::1", ...(host && host !== "127.0.0.1" && host !== "::1" ? [host] : [])].join(",");
}

// The demo's buyers (the simulator) listen on this machine: the demo lets loopback and the
// simulator's host through the outbound guard, which refuses private addresses otherwise.
const config = loadConfig({
  LOG_LEVEL: "warn",
  OUTBOUND_ALLOW: demoOutboundAllow(process.env.BUYER_SIM_URL),
  ...process.env,
});
process.stdout.write(
  `Starting LeadFlow (${config.DATABASE_URL ? "PostgreSQL" : `embedded database in ${config.DATA_DIR}`}) …\n`,
);
const running = await startServer(config);
process.stdout.write("Seeding the demo world …\n");
const result = await seedDemo(running.handle.db, undefined, { buyerSimUrl: config.BUYER_SIM_URL, history: true });
if (!result.created) process.stdout.write("  the demo world is already there\n");
printLogins(result, config.publicUrl);
const traffic = config.DEMO_TRAFFIC ? await startDemoTraffic(running.services, { simUrl: config.BUYER_SIM_URL }) : null;
if (traffic)
  process.stdout.write(
    `Buyer simulator at ${config.BUYER_SIM_URL}; a lead arrives every few seconds (DEMO_TRAFFIC=0 to stop them).\n`,
  );
process.stdout.write("Press Ctrl+C to stop.\n");
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.once(sig, () => {
    void (traffic?.stop() ?? Promise.resolve()).then(() => running.close()).then(() => process.exit(0));
  });
}
