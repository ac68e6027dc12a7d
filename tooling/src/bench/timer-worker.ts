// One phase timer worker process for `bench:marketplace`: the production sweeper
// (startPhaseTimerSweeper) on its own connection pool. Prints "<leadId> <ms since epoch>" for each
// transition it finished, and stops on SIGTERM.
import { startPhaseTimerSweeper } from "@leadflow/api";
import { createDb } from "@leadflow/db";
import { systemClock } from "@leadflow/engine";
import pino from "pino";

const workers = Number(process.env.TIMER_WORKERS ?? 4);
const batch = Number(process.env.TIMER_BATCH ?? 100);
const handle = await createDb({ databaseUrl: process.env.DATABASE_URL!, max: workers + 2 });
const lines: string[] = [];
const flush = () => {
  if (lines.length > 0) process.stdout.write(lines.splice(0).join(""));
};
const ticker = setInterval(flush, 100);
const sweeper = startPhaseTimerSweeper(
  {
    db: handle.db,
    clock: systemClock,
    log: pino({ level: process.env.LOG_LEVEL ?? "error" }),
    publicUrl: "http://127.0.0.1",
  },
  { workers, batch, idleMs: 100, onHandled: (d) => lines.push(`${d.leadId} ${Date.now()}\n`) },
);
process.once("SIGTERM", () => {
  void (async () => {
    await sweeper.stop();
    clearInterval(ticker);
    flush();
    await handle.close();
    process.exit(0);
  })();
});
