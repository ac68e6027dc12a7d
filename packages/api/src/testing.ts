// Helpers for tests: make an organisation with a user, and a tRPC caller acting as them.
import { getUser, insertOrg, insertUser, type Db } from "@leadflow/db";
import { ManualClock, type Clock, type OrgKind, type UserRole } from "@leadflow/engine";
import pino from "pino";
import type { SessionUser } from "./auth/sessions";
import { createContextInner, type Services } from "./context";
import { outboundPolicy, type Resolver } from "./outbound/guard";
import { createCaller } from "./root";

export { setPasswordHashCostForTests, TEST_PASSWORD_HASH_COST } from "./auth/password";

export const silentLog = pino({ level: "silent" });

const KIND_FOR_ROLE: Record<UserRole, OrgKind> = {
  admin: "platform",
  contractor: "contractor",
  network: "network",
  dj: "dj",
  seller: "seller",
};

let n = 0;
/**
 * An organisation with one user. The password hash is a fixed scrypt-shaped string that matches
 * nothing, so tests don't pay for real hashing unless they log in.
 */
export async function makeOrgUser(db: Db, role: UserRole, name?: string): Promise<SessionUser> {
  const label = name ?? `${role} org ${++n}`;
  const org = await insertOrg(db, { name: label, kind: KIND_FOR_ROLE[role] });
  const email = `${role}.${n}.${Math.random().toString(36).slice(2, 8)}@example.test`;
  const u = await insertUser(db, {
    orgId: org.id,
    email,
    name: `${role} user`,
    role,
    passwordHash: "scrypt$1$1$1$AA$AA",
  });
  const row = await getUser(db, u.id);
  return { id: row!.id, orgId: org.id, orgKind: org.kind, orgName: org.name, email, name: row!.name, role };
}

/**
 * Names under the reserved .test domain (RFC 6761) resolve to 127.0.0.1 in tests, so a URL like
 * https://crm.example.test can be saved without real DNS; .invalid names never resolve; other
 * names go to the system.
 */
export const testResolve: Resolver = async (hostname) => {
  if (/(^|\.)test\.?$/i.test(hostname)) return [{ address: "127.0.0.1", family: 4 }];
  if (/(^|\.)invalid\.?$/i.test(hostname))
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
  const { lookup } = await import("node:dns/promises");
  return lookup(hostname, { all: true });
};

/**
 * The tests' outbound policy: the buyer simulator and every test listener are on loopback, so
 * loopback is allowed explicitly (OUTBOUND_ALLOW=127.0.0.0/8,::1); everything else private is
 * refused as in production. One object, so the tests share one keep-alive agent.
 */
export const TEST_OUTBOUND = outboundPolicy("127.0.0.0/8,::1", testResolve);

export function testServices(db: Db, clock: Clock = new ManualClock("2026-03-02T15:00:00Z")): Services {
  return { db, clock, log: silentLog, publicUrl: "http://127.0.0.1:0", outbound: TEST_OUTBOUND };
}

/** A tRPC caller acting as `user` (or anonymous with null). */
export function callerAs(services: Services, user: SessionUser | null) {
  return createCaller(createContextInner({ ...services, user }));
}

/**
 * Generated cases per property test that runs real SQL: PROPERTY_RUNS when set (as the bad-input
 * property tests read it), else 200, so each file stays a few seconds' work on a shared machine.
 */
export function sqlPropertyRuns(fallback = 200): number {
  const raw = process.env.PROPERTY_RUNS;
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`PROPERTY_RUNS must be a whole number of cases, at least 1; got "${raw}"`);
  return n;
}

// The marketplace and returns fixtures, so every test takes its fixtures from "@leadflow/api/testing".
export { makeDj, makeLead, marketServices } from "./marketplace/testing";
export { addBuyer, addSeller, revenueOf, soldLead } from "./returns/testing";

// DJ notifications' outside parties on loopback (the notify tests and the benchmark use them).
export { checkVapid, decryptPush, makeBrowserKeys, startFakeTwilio, startPushEndpoint } from "./notify/testing";
