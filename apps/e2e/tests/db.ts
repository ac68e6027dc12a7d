// The e2e server's database (src/serve.ts writes its URL, per port), for specs that check the
// numbers a page shows against the rows behind them.
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";

export function e2eDatabase() {
  const port = Number(process.env.E2E_PORT ?? 3199);
  const { databaseUrl } = JSON.parse(readFileSync(join(tmpdir(), `leadflow-e2e-${port}.json`), "utf8")) as {
    databaseUrl: string;
  };
  return postgres(databaseUrl, { max: 2, onnotice: () => {} });
}
