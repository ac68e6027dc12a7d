// The real server (startServer, settings from the environment) for the crash and scale proofs,
// with one difference: the sweeps that recover from a dead process run every few seconds with
// windows of seconds instead of every minute with windows of minutes, so a test can wait for
// them. The sweep code is the one production runs (sweepLeads, sweepOverdueLeads). The leases
// that find a dead process's auctions (packages/api/src/auction/lease.ts) keep their production
// timings; pass --stuck-after-ms 900000 to leave those auctions to them alone (crash.test.ts).
//
//   tsx tooling/src/proofs/proof-server.ts --sweep-every-ms 1000 --stuck-after-ms 15000 …
import { emailRetry, sweepLeads, sweepOverdueLeads, type SweepWindows, webhookRetry } from "@leadflow/api";
import { parseArgs } from "node:util";
import { z } from "zod";
import { loadConfig, startServer } from "@leadflow/server";

const ms = z.coerce.number().int().min(1);
const argsSchema = z.object({
  "sweep-every-ms": ms.default(1000),
  "stuck-after-ms": ms.default(15_000),
  "unstarted-after-ms": ms.default(5_000),
  "delivery-overdue-ms": ms.default(5_000),
  "timer-grace-ms": ms.default(2_000),
  "webhook-retry-delay-s": ms.default(1),
  "email-retry-delay-s": ms.default(1),
});
const { values } = parseArgs({
  options: Object.fromEntries(Object.keys(argsSchema.shape).map((k) => [k, { type: "string" as const }])),
  strict: true,
});
const args = argsSchema.parse(values);

webhookRetry.delaySeconds = args["webhook-retry-delay-s"];
emailRetry.delaysSeconds = emailRetry.delaysSeconds.map(() => args["email-retry-delay-s"]);
// The proofs' buyers (the simulator) listen on loopback, which the outbound guard refuses unless allowed.
const config = loadConfig({ OUTBOUND_ALLOW: "127.0.0.0/8,::1", ...process.env });
const running = await startServer(config);
const windows: SweepWindows = {
  stuckAfterMs: args["stuck-after-ms"],
  unstartedAfterMs: args["unstarted-after-ms"],
  deliveryOverdueMs: args["delivery-overdue-ms"],
};
let sweeping = false;
const timer = config.RUN_WORKERS
  ? setInterval(() => {
      if (sweeping) return;
      sweeping = true;
      void Promise.all([
        sweepLeads(running.services, windows),
        sweepOverdueLeads(running.services, args["timer-grace-ms"]),
      ])
        .catch((err: unknown) => running.services.log.error({ err }, "proof sweep failed"))
        .finally(() => (sweeping = false));
    }, args["sweep-every-ms"])
  : null;
process.stdout.write(`ready ${running.url || "(worker)"} pid ${process.pid}\n`);
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.once(sig, () => {
    if (timer) clearInterval(timer);
    void running.close().then(() => process.exit(0));
  });
}
