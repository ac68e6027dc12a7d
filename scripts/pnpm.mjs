// Runs pnpm on a machine that has only Node and npm: the pinned pnpm through npx,
// or the one already on PATH when its version matches. No global install.
import { spawnSync } from "node:child_process";

const PNPM = "pnpm@10.34.9";
const args = process.argv.slice(2);
const which = spawnSync("pnpm", ["--version"], { encoding: "utf8", shell: false });
const onPath = which.status === 0 && which.stdout.trim() === PNPM.split("@")[1];
const [cmd, cmdArgs] = onPath ? ["pnpm", args] : ["npx", ["-y", PNPM, ...args]];
const res = spawnSync(cmd, cmdArgs, { stdio: "inherit", env: process.env });
process.exit(res.status ?? 1);
