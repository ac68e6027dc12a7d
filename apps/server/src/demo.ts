// `npm run demo`: migrates, seeds the demo world (once), starts the server with its workers and
// prints the dashboard URL and the logins.
import { loadConfig } from "./config";
import { printLogins, seedDemo } from "./seed/seed";
import { startDemoTraffic } from "./demo-traffic";
import { startServer } from "./server";

const config = loadConfig({ LOG_LEVEL: "warn", ...process.env });
process.stdout.write(`Starting LeadFlow (${config.DATABASE_URL ? "PostgreSQL" : `embedded database in ${config.DATA_DIR}`}) …\n`);
const running = await startServer(config);
process.stdout.write("Seeding the demo world …\n");
const result = await seedDemo(running.handle.db, undefined, { buyerSimUrl: config.BUYER_SIM_URL, history: true });
if (!result.created) process.stdout.write("  the demo world is already there\n");
printLogins(result, config.publicUrl);
const traffic = config.DEMO_TRAFFIC ? await startDemoTraffic(running.services, { simUrl: config.BUYER_SIM_URL }) : null;
if (traffic) process.stdout.write(`Buyer simulator at ${config.BUYER_SIM_URL}; a lead arrives every few seconds (DEMO_TRAFFIC=0 to stop them).\n`);
process.stdout.write("Press Ctrl+C to stop.\n");
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.once(sig, () => {
    void (traffic?.stop() ?? Promise.resolve()).then(() => running.close()).then(() => process.exit(0));
  });
}
