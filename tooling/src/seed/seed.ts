import { createUser } from "@leadflow/api";
import { orgs, users, type Db } from "@leadflow/db";
import { eq } from "drizzle-orm";
import { analyticsHistorySeed } from "./analytics-history";
import { auctionSeed } from "./auction";
import { marketplaceSeed } from "./marketplace";
import { callsSeed } from "./calls";
import { returnsSeed } from "./returns";
import { DEMO_ORGS, DEMO_PASSWORD } from "./world";

export interface SeedContext {
  db: Db;
  /** Organisation id by demo key (e.g. "con-bluff"). */
  orgIds: Map<string, string>;
  progress(step: string, done: number, total: number): void;
}

/** A domain's part of the demo: each runs after the organisations exist. */
export type SeedStep = { name: string; run(ctx: SeedContext): Promise<void> };

export interface SeedOptions {
  /** Where the buyer simulator listens: the demo networks and contractor CRMs point there. */
  buyerSimUrl?: string;
  /** 30 days of recorded auction history for the analytics (the demo asks for it). */
  history?: boolean;
}

/** Domain seeds register here (auction buyers, DJs, city statistics …). */
export function domainSeeds(opts: SeedOptions = {}): SeedStep[] {
  return [
    auctionSeed(opts.buyerSimUrl),
    marketplaceSeed(),
    returnsSeed(),
    callsSeed(),
    ...(opts.history ? [analyticsHistorySeed()] : []),
  ];
}

export interface SeedResult {
  created: boolean;
  logins: { role: string; email: string; password: string; org: string }[];
}

export function consoleProgress(out: NodeJS.WritableStream = process.stdout) {
  return (step: string, done: number, total: number) => {
    const width = 24;
    const filled = total === 0 ? width : Math.round((done / total) * width);
    out.write(
      `\r  ${step.padEnd(28)} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total}${done === total ? "\n" : ""}`,
    );
  };
}

/** Creates the demo world once; on a database that has it already, only lists the logins. */
export async function seedDemo(db: Db, progress = consoleProgress(), opts: SeedOptions = {}): Promise<SeedResult> {
  const logins = DEMO_ORGS.map((o) => ({
    role: o.user.role,
    email: o.user.email,
    password: DEMO_PASSWORD,
    org: o.name,
  }));
  const [existing] = await db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.email, DEMO_ORGS[0]!.user.email))
    .limit(1);
  if (existing) return { created: false, logins };

  const orgIds = new Map<string, string>();
  let n = 0;
  for (const o of DEMO_ORGS) {
    const [org] = await db.insert(orgs).values({ name: o.name, kind: o.kind }).returning({ id: orgs.id });
    orgIds.set(o.key, org!.id);
    await createUser(db, {
      orgId: org!.id,
      email: o.user.email,
      name: o.user.name,
      role: o.user.role,
      password: DEMO_PASSWORD,
    });
    progress("organisations and users", ++n, DEMO_ORGS.length);
  }
  const ctx: SeedContext = { db, orgIds, progress };
  for (const step of domainSeeds(opts)) await step.run(ctx);
  return { created: true, logins };
}

export function printLogins(result: SeedResult, url: string, out: NodeJS.WritableStream = process.stdout): void {
  out.write(`\nLeadFlow dashboard: ${url}\n\nDemo logins (password for all: ${DEMO_PASSWORD}):\n`);
  for (const l of result.logins) out.write(`  ${l.role.padEnd(11)} ${l.email.padEnd(32)} ${l.org}\n`);
  out.write("\n");
}
