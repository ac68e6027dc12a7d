// Where a benchmark's CPU went, read from /proc (Linux; elsewhere every figure is null): the CPU
// time of a process and its descendants, of every PostgreSQL process on the machine, and how busy
// the whole machine was. A throughput that is CPU-bound is explained by CPU per unit of work, and
// that figure moves much less from run to run than the throughput itself.
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** utime + stime of one process (all its threads), in ms; 0 when it is gone. */
function ticksOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(f[11]) + Number(f[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

/** The process and all its descendants (tsx's CLI runs node as its child). */
function processTree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    let children: string[] = [];
    try {
      children = readdirSync(`/proc/${out[i]}/task`).flatMap((t) =>
        readFileSync(`/proc/${out[i]}/task/${t}/children`, "utf8").split(" ").filter(Boolean),
      );
    } catch {
      // gone, or not Linux
    }
    out.push(...children.map(Number));
  }
  return out;
}

function postgresPids(): number[] {
  const pids: number[] = [];
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/cmdline`, "utf8").startsWith("postgres")) pids.push(Number(d));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** Busy and total CPU time of the machine (all cores), in ms. */
function machine(): { busy: number; total: number } {
  const [line] = readFileSync("/proc/stat", "utf8").split("\n");
  // user nice system idle iowait irq softirq steal: busy is what ran on our cores; steal (the
  // hypervisor running something else) counts in the total, not as busy.
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line!.trim().split(/\s+/).slice(1, 9).map(Number);
  const busy = user! + nice! + system! + irq! + softirq!;
  return { busy: busy * TICK_MS, total: (busy + idle! + iowait! + steal!) * TICK_MS };
}

export interface CpuSnapshot {
  at: Map<string, number>;
  machine: { busy: number; total: number };
}

/**
 * CPU time so far of each named process tree, of PostgreSQL (every postgres process: backends,
 * WAL writer, checkpointer) and of this process; null off Linux.
 */
export function cpuSnapshot(trees: Record<string, number | undefined>): CpuSnapshot | null {
  if (os.platform() !== "linux") return null;
  try {
    const at = new Map<string, number>();
    for (const [name, pid] of Object.entries(trees))
      at.set(name, pid === undefined ? 0 : processTree(pid).reduce((a, p) => a + ticksOf(p), 0));
    at.set(
      "PostgreSQL",
      postgresPids().reduce((a, p) => a + ticksOf(p), 0),
    );
    const self = process.cpuUsage();
    at.set("bench", (self.user + self.system) / 1000);
    return { at, machine: machine() };
  } catch {
    return null;
  }
}

/** What was spent between two snapshots (null if either is). */
export function cpuSpent(a: CpuSnapshot | null, b: CpuSnapshot | null): CpuSnapshot | null {
  if (!a || !b) return null;
  return {
    at: new Map([...b.at].map(([name, t]) => [name, t - (a.at.get(name) ?? 0)])),
    machine: { busy: b.machine.busy - a.machine.busy, total: b.machine.total - a.machine.total },
  };
}

/** The sum of spans (null if any is). */
export function cpuSum(spans: (CpuSnapshot | null)[]): CpuSnapshot | null {
  if (spans.length === 0 || spans.some((x) => x === null)) return null;
  const at = new Map<string, number>();
  const m = { busy: 0, total: 0 };
  for (const x of spans as CpuSnapshot[]) {
    for (const [name, t] of x.at) at.set(name, (at.get(name) ?? 0) + t);
    m.busy += x.machine.busy;
    m.total += x.machine.total;
  }
  return { at, machine: m };
}

/** "server 3.10 ms, PostgreSQL 3.30 ms, … per pair; the machine 87 % busy" for a span (cpuSpent). */
export function cpuPerUnit(spent: CpuSnapshot | null, units: number, unit: string): string {
  if (!spent || units <= 0) return "CPU not measured (needs Linux's /proc)";
  const parts: string[] = [];
  let accounted = 0;
  for (const [name, d] of spent.at) {
    accounted += d;
    parts.push(`${name} ${(d / units).toFixed(2)} ms`);
  }
  const { busy, total } = spent.machine;
  parts.push(`the rest ${(Math.max(0, busy - accounted) / units).toFixed(2)} ms`);
  return `CPU per ${unit}: ${parts.join(", ")}; all ${(busy / units).toFixed(2)} ms, the machine ${((busy / total) * 100).toFixed(0)} % busy`;
}
