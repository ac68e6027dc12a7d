// `npm run demo`: migrates, seeds the demo world (once), starts the server with its workers and
// prints the dashboard URL and the logins.
import { loadConfig } from "./config";
import { printLogins, seedDemo } from "./seed/seed";
import { startServer } from "./server";

const config = loadConfig({ LOG_LEVEL: "warn", ...process.env });
process.stdout.write(`Starting LeadFlow (${config.DATABASE_URL ? "PostgreSQL" : `embedded database in ${config.DATA_DIR}`}) …\n`);
const running = await startServer(config);
process.stdout.write("Seeding the demo world …\n");
const result = await seedDemo(running.handle.db);
if (!result.created) process.stdout.write("  the demo world is already there\n");
printLogins(result, config.publicUrl);
process.stdout.write("Press Ctrl+C to stop.\n");
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.once(sig, () => {
    void running.close().then(() => process.exit(0));
  });
}
