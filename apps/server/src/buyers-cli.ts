// `pnpm --filter @leadflow/server buyers:export [file]` writes the whole buyer setup as JSON
// (stdout without a file); `buyers:import <file>` applies one, all or nothing. docs/buyer-import.md
// describes the format. Exit code 1 with every problem listed when a file is refused.
import { exportBuyers, formatProblem, importBuyers, ImportRefused, outboundPolicy } from "@leadflow/api";
import { createDb, migrateDb } from "@leadflow/db";
import { systemClock } from "@leadflow/engine";
import { readFile, writeFile } from "node:fs/promises";
import { loadConfig } from "./config";

const [command, file] = process.argv.slice(2);
if (command !== "export" && command !== "import") {
  process.stderr.write("usage: buyers-cli export [file.json] | buyers-cli import <file.json>\n");
  process.exit(2);
}
if (command === "import" && !file) {
  process.stderr.write("buyers-cli import: name the JSON file to import\n");
  process.exit(2);
}

const config = loadConfig();
const handle = await createDb(
  config.DATABASE_URL ? { databaseUrl: config.DATABASE_URL } : { dataDir: config.DATA_DIR },
);
let code = 0;
try {
  await migrateDb(handle);
  if (command === "export") {
    const text = `${JSON.stringify(await exportBuyers(handle.db, systemClock), null, 2)}\n`;
    if (file) {
      await writeFile(file, text);
      process.stderr.write(`exported the buyer setup to ${file}\n`);
    } else process.stdout.write(text);
  } else {
    const r = await importBuyers(
      handle.db,
      systemClock,
      await readFile(file!, "utf8"),
      outboundPolicy(config.OUTBOUND_ALLOW),
    );
    process.stdout.write(
      `imported ${file}: ${r.verticals} verticals, ${r.created} buyers created, ${r.updated} updated\n`,
    );
  }
} catch (e) {
  code = 1;
  if (e instanceof ImportRefused) {
    process.stderr.write(`${file}: refused, nothing was changed.\n`);
    for (const p of e.problems) process.stderr.write(`  ${formatProblem(p)}\n`);
  } else process.stderr.write(`buyers-cli ${command}: ${e instanceof Error ? e.message : String(e)}\n`);
} finally {
  await handle.close();
}
process.exit(code);
