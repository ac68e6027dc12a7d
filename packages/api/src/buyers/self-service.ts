// A network buyer's self-service (issue #16 §1): it edits its own terms (URLs, timeout, minimum
// bid, caps, hours, zips, compliance, response mapping, request template) except the fields the
// admin locked, and sends a test ping or post built and parsed exactly as in a real auction.
import { countRecentAuditActionsLocked, getBuyerForUpdate, setBuyerLockedFields, type Db } from "@leadflow/db";
import {
  buildBuyerRequest,
  parsePingResponse,
  parsePostResponse,
  REDACTED,
  SAMPLE_LEAD,
  SELF_SERVICE_FIELDS,
  type Clock,
  type SelfServiceField,
} from "@leadflow/engine";
import { performance } from "node:perf_hooks";
import { z } from "zod";
import { recordAudit } from "../audit";
import { cap, errorText, postJson, RESPONSE_LIMIT } from "../auction/http";
import { AppError } from "../errors";
import type { OutboundPolicy } from "../outbound/guard";
import { myTermsProblems, myTermsTermsSchema, type NetworkInput } from "./schemas";
import { getBuyer, updateBuyer } from "./service";
import { fieldParser } from "./validate";

const NOT_FOUND = "No network buyer with that id in your organisation.";
export const LOCKED_MESSAGE = "LeadFlow has locked this term; ask your account manager to change it.";

/** The terms a network buyer sends from its page: every self-service field but the template. */
const myTermsSchema = z.strictObject({
  id: z.uuid("Unknown buyer."),
  terms: myTermsTermsSchema,
});
export type MyTerms = z.output<typeof myTermsSchema>["terms"];
export const myTermsInput = fieldParser<z.output<typeof myTermsSchema>>(
  myTermsSchema,
  (v) => myTermsProblems(v.terms),
  "terms",
);

export const lockedFieldsInput = z.strictObject({
  id: z.uuid("Unknown buyer."),
  fields: z.array(z.enum(SELF_SERVICE_FIELDS, { error: "Not a term a buyer edits." })).max(SELF_SERVICE_FIELDS.length),
});

/** JSON with sorted keys and null for undefined: two values that mean the same compare equal. */
function canonical(v: unknown): string {
  return JSON.stringify(v ?? null, (_k, x: unknown) =>
    x && typeof x === "object" && !Array.isArray(x)
      ? Object.fromEntries(
          Object.entries(x as Record<string, unknown>)
            .filter(([, y]) => y !== undefined && y !== null)
            .sort(([a], [b]) => a.localeCompare(b)),
        )
      : x,
  );
}

/** The buyer, if it is a network of this organisation (null: any, for the admin). */
async function networkOf(db: Db, id: string, orgId: string | null) {
  const view = await getBuyer(db, id, orgId).catch((e: unknown) => {
    if (e instanceof AppError && e.code === "NOT_FOUND") throw new AppError("NOT_FOUND", NOT_FOUND);
    throw e;
  });
  if (view.type !== "NETWORK") throw new AppError("NOT_FOUND", NOT_FOUND);
  return view;
}

/** Refuses a change to a locked term, naming each one beside its field. */
export function refuseLocked(locked: readonly string[], changed: readonly SelfServiceField[]): void {
  const hit = changed.filter((f) => locked.includes(f));
  if (hit.length)
    throw new AppError(
      "FORBIDDEN",
      `LeadFlow has locked ${hit.length === 1 ? "this term" : "these terms"}: ${hit.join(", ")}.`,
      Object.fromEntries(hit.map((f) => [f, [LOCKED_MESSAGE]])),
    );
}

/** A network buyer's own terms; the rest of the buyer (name, verticals, template) stays as it is. */
export async function updateMyTerms(db: Db, clock: Clock, orgId: string, id: string, terms: MyTerms) {
  const view = await networkOf(db, id, orgId);
  const current = view as unknown as Record<string, unknown>;
  const given = terms as Record<string, unknown>;
  const changed = SELF_SERVICE_FIELDS.filter((k) => k in given && canonical(given[k]) !== canonical(current[k]));
  refuseLocked(view.lockedFields, changed);
  const input: NetworkInput = {
    type: "NETWORK",
    name: view.name,
    active: view.active,
    verticals: view.verticals,
    duplicateLookbackDays: view.duplicateLookbackDays,
    ...terms,
  };
  const saved = await updateBuyer(db, clock, id, input);
  return { buyer: saved.buyer, changed };
}

/** The template may only be changed by its buyer when the admin has not locked it. */
export async function assertTemplateUnlocked(db: Db, orgId: string, id: string): Promise<void> {
  const view = await networkOf(db, id, orgId);
  if (view.lockedFields.includes("requestTemplate"))
    throw new AppError("FORBIDDEN", `LeadFlow has locked the request template. ${LOCKED_MESSAGE}`, {
      requestTemplate: [LOCKED_MESSAGE],
    });
}

export async function setLockedFields(db: Db, clock: Clock, id: string, fields: SelfServiceField[]) {
  await networkOf(db, id, null);
  const sorted = [...new Set(fields)].sort();
  await setBuyerLockedFields(db, id, sorted, clock.now());
  return { id, lockedFields: sorted };
}

// ---- Test requests ----

/** Test requests an organisation may send per minute (shared by its users and kinds). */
export const TEST_REQUESTS_PER_MINUTE = 6;
const TEST_TIMEOUT_MS = 10_000;

export const sendTestInput = z.strictObject({
  id: z.uuid("Unknown buyer."),
  kind: z.enum(["ping", "post"], { error: "Choose a ping or a post." }),
});

/**
 * Headers as a person may read them: built with REDACTED in place of the stored secret ("Bearer
 * [redacted]"), and any other secret-looking header masked whole.
 */
function maskHeaders(h: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(h).map(([k, v]) => [
      k,
      /authorization|token|secret|api-?key|password/i.test(k) && !v.includes(REDACTED) ? REDACTED : v,
    ]),
  );
}

interface TestCtx {
  db: Db;
  clock: Clock;
  ip?: string | undefined;
  outbound?: OutboundPolicy | undefined;
  user: { id: string; email: string; role: string; orgId: string };
}

/**
 * Sends the sample lead to the buyer's ping or post URL with the buyer's own template, auth and
 * response mapping, through the same builder, HTTP client, guard and parser as a real auction.
 * Rate-limited per organisation; the request (secrets masked) is written to the audit log first.
 */
export async function sendTestRequest(c: TestCtx, scopeOrg: string | null, id: string, kind: "ping" | "post") {
  const view = await networkOf(c.db, id, scopeOrg);
  const row = await getBuyerForUpdate(c.db, id, scopeOrg);
  if (!row) throw new AppError("NOT_FOUND", NOT_FOUND);
  const pingId = "00000000-0000-4000-8000-0000000000aa";
  const sampleBid = Math.max(row.minBidCents, 2500);
  const req = buildBuyerRequest(
    row.requestTemplate,
    kind,
    { lead: SAMPLE_LEAD, pingId, bidCents: sampleBid },
    row.requestAuthSecret,
  );
  const masked = buildBuyerRequest(
    row.requestTemplate,
    kind,
    { lead: SAMPLE_LEAD, pingId, bidCents: sampleBid },
    row.requestAuthSecret ? REDACTED : null,
  );
  const url = (kind === "ping" ? row.pingUrl : row.postUrl) ?? "";
  const sent = {
    method: "POST",
    url,
    headers: maskHeaders({ ...masked.headers, "content-type": req.contentType }),
    body: req.body,
  };

  const since = new Date(c.clock.now().getTime() - 60_000);
  await c.db.transaction(async (tx) => {
    const n = await countRecentAuditActionsLocked(tx, c.user.orgId, "buyers.sendTest", since);
    if (n >= TEST_REQUESTS_PER_MINUTE)
      throw new AppError(
        "TOO_MANY_REQUESTS",
        `At most ${TEST_REQUESTS_PER_MINUTE} test requests a minute for your organisation; try again in a minute.`,
      );
    await recordAudit(tx as unknown as Db, c, {
      entity: "buyer",
      entityId: id,
      action: "buyers.sendTest",
      before: null,
      after: { orgId: view.orgId, fields: { kind, method: sent.method, url, body: cap(sent.body) } },
    });
  });

  const started = performance.now();
  const timeoutMs = kind === "ping" ? Math.min(row.pingTimeoutMs, TEST_TIMEOUT_MS) : TEST_TIMEOUT_MS;
  const signal = AbortSignal.timeout(timeoutMs);
  const understood = (u: Partial<Understood> & Pick<Understood, "outcome">): Understood => ({
    bidCents: null,
    accepted: null,
    reason: null,
    ...u,
  });
  try {
    const headers = { ...req.headers, "content-type": req.contentType };
    const res = await postJson(c.outbound, url, req.body, signal, headers, RESPONSE_LIMIT);
    const answer = {
      status: res.status,
      headers: res.headers,
      body: res.text,
      ms: Math.round(performance.now() - started),
    };
    if (res.tooLarge)
      return {
        sent,
        answer,
        understood: understood({ outcome: "ERROR", reason: `answer larger than ${RESPONSE_LIMIT} bytes` }),
      };
    if (kind === "ping") {
      const p = parsePingResponse(res.status, res.text, row.responseMapping);
      const u =
        p.outcome === "BID"
          ? understood({ outcome: "BID", bidCents: p.bidCents, reason: p.reason ?? null })
          : p.outcome === "NO_BID"
            ? understood({ outcome: "NO_BID", reason: p.reason })
            : understood({ outcome: "ERROR", reason: p.error });
      return { sent, answer, understood: u };
    }
    const p = parsePostResponse(res.status, res.text, row.responseMapping);
    return {
      sent,
      answer,
      understood: p.accepted
        ? understood({ outcome: "ACCEPTED", accepted: true })
        : understood({ outcome: "REJECTED", accepted: false, reason: p.rawReason ?? p.lostReason ?? null }),
    };
  } catch (err) {
    const reason = signal.aborted ? `no answer within ${timeoutMs} ms` : errorText(err);
    return { sent, answer: null, understood: understood({ outcome: signal.aborted ? "TIMEOUT" : "ERROR", reason }) };
  }
}

/** What LeadFlow made of the answer, in the auction's own terms. */
export interface Understood {
  outcome: "BID" | "NO_BID" | "ACCEPTED" | "REJECTED" | "TIMEOUT" | "ERROR";
  bidCents: number | null;
  accepted: boolean | null;
  reason: string | null;
}
