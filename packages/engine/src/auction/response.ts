/**
 * Reading buyers' answers. Every network words its ping and post responses its own way, so a
 * per-buyer mapping says where the bid, the accept flag and the reason are. Whatever arrives
 * (HTML error pages, half a body, a bid of "-3"), the result is a recorded outcome, never a throw.
 */
import { toCents, MAX_BID_CENTS, type MoneyUnit } from "./money";
import type { RejectionReason } from "./values";

export interface ResponseMapping {
  /** Dot paths into the JSON body; numeric segments index arrays ("bids.0.amount"). */
  bidPath: string;
  acceptedPath: string;
  reasonPath: string;
  bidUnit: MoneyUnit;
}

export const DEFAULT_MAPPING: ResponseMapping = {
  bidPath: "bid",
  acceptedPath: "accepted",
  reasonPath: "reason",
  bidUnit: "dollars",
};

export function resolveMapping(mapping?: Partial<ResponseMapping> | null): ResponseMapping {
  return { ...DEFAULT_MAPPING, ...stripUndefined(mapping ?? {}) };
}

export function getPath(body: unknown, path: string): unknown {
  let cur: unknown = body;
  for (const seg of path.split(".").filter((s) => s.length > 0)) {
    if (cur === null || typeof cur !== "object") return undefined;
    if (!Object.prototype.hasOwnProperty.call(cur, seg)) return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

export type PingParse =
  | { outcome: "BID"; bidCents: number; reason?: string }
  | { outcome: "NO_BID"; reason: string }
  | { outcome: "ERROR"; error: string };

/**
 * A 2xx with a positive bid is a BID; a missing, null, false or zero bid (or a 204) is a NO_BID;
 * everything else is an ERROR with the cause written down. TIMEOUT is the caller's to record: it is
 * the absence of a response, which no parser sees.
 */
export function parsePingResponse(
  status: number,
  bodyText: string,
  mapping?: Partial<ResponseMapping> | null,
  maxBidCents = MAX_BID_CENTS,
): PingParse {
  const m = resolveMapping(mapping);
  if (status === 204) return { outcome: "NO_BID", reason: "HTTP 204 (no content)" };
  if (status < 200 || status > 299) return { outcome: "ERROR", error: `HTTP ${status}` };
  const body = parseJson(bodyText);
  if (!body.ok) return { outcome: "ERROR", error: body.error };
  if (body.value === null || typeof body.value !== "object" || Array.isArray(body.value)) {
    return { outcome: "ERROR", error: "body is not a JSON object" };
  }
  const reason = reasonText(getPath(body.value, m.reasonPath));
  const raw = getPath(body.value, m.bidPath);
  if (raw === undefined || raw === null || raw === false || raw === "") {
    return { outcome: "NO_BID", reason: reason ?? `no bid at "${m.bidPath}"` };
  }
  const cents = toCents(raw, m.bidUnit, maxBidCents);
  if (!cents.ok) return { outcome: "ERROR", error: `bid at "${m.bidPath}": ${cents.error}` };
  if (cents.cents === 0) return { outcome: "NO_BID", reason: reason ?? "bid of 0" };
  return reason === undefined
    ? { outcome: "BID", bidCents: cents.cents }
    : { outcome: "BID", bidCents: cents.cents, reason };
}

export interface PostResult {
  accepted: boolean;
  /** Present when accepted is false. */
  lostReason?: RejectionReason;
  /** The buyer's own words (or the transport failure), kept for the timeline. */
  rawReason?: string;
  /**
   * How far the sale got; absent means "POST".
   * - "POST": a POST was sent to the buyer; this is its answer, or the POST's failure.
   * - "RULES": our own sale rules (checkSaleRules under lock) refused it at the moment of sale;
   *   nothing was sent. Treated like the same rule failing at the start (see conductAuction).
   * - "SALE": no POST was involved: a contractor's sale claim (accepted, or refused for another
   *   reason than the rules: the lead already taken, the sale not written).
   * Only a POST takes a cascadePosition, and only a failed POST or sale makes a CASCADE_EXHAUSTED.
   */
  stage?: PostStage;
}

export type PostStage = "POST" | "RULES" | "SALE";

const ACCEPTED_WORDS = new Set(["true", "1", "yes", "y", "accepted", "accept", "success", "ok", "sold"]);

/**
 * Only an explicit yes is a sale: a POST the buyer did not clearly accept is a rejection, so the
 * cascade moves on instead of billing a buyer that may not have the lead.
 */
export function parsePostResponse(
  status: number,
  bodyText: string,
  mapping?: Partial<ResponseMapping> | null,
): PostResult {
  const m = resolveMapping(mapping);
  const body = parseJson(bodyText);
  const reason = body.ok ? reasonText(getPath(body.value, m.reasonPath)) : undefined;
  if (status < 200 || status > 299) {
    const rawReason = reason ? `HTTP ${status}: ${reason}` : `HTTP ${status}`;
    return rejected(reason, rawReason);
  }
  if (!body.ok) return { accepted: false, lostReason: "POST_REJECTED", rawReason: body.error };
  const flag = getPath(body.value, m.acceptedPath);
  if (isYes(flag)) return { accepted: true };
  return rejected(reason, reason ?? `not accepted ("${m.acceptedPath}" is ${JSON.stringify(flag) ?? "missing"})`);
}

/** For a POST that never got an answer (timeout, connection refused). */
export function postFailure(error: string): PostResult {
  return { accepted: false, lostReason: "POST_REJECTED", rawReason: error };
}

const RULES: readonly [RejectionReason, RegExp][] = [
  [
    "DUPLICATE_LEAD",
    /\bdup(e|es|licate|licated)?\b|already (have|has|had|exists?|received|purchased|bought|in)|previously (sold|purchased|received)|\bexisting (lead|customer|contact)\b/,
  ],
  [
    "OUTSIDE_HOURS",
    /\b(outside|after|off|out of)[ -](business |office |operating |working )?hours\b|\bclosed\b|\bnot open\b|\bbusiness hours\b/,
  ],
  [
    "CAP_REACHED",
    /\bcap(s|ped)?\b|\bcapacity\b|\blimit (reached|exceeded|hit)\b|\b(reached|exceeded|hit) (the |its |our |your |my )?(daily |weekly |monthly )?(limit|cap|quota)\b|\bquota\b|\bbudget (reached|exceeded|exhausted|spent)\b|\bover (the )?(limit|cap)\b/,
  ],
];

/** A buyer's free-text rejection → the lost reason analytics can count; unknown text stays generic. */
export function mapRejectionReason(text: string | null | undefined): RejectionReason {
  const t = (text ?? "").toLowerCase();
  for (const [reason, re] of RULES) if (re.test(t)) return reason;
  return "POST_REJECTED";
}

function rejected(reason: string | undefined, rawReason: string): PostResult {
  return { accepted: false, lostReason: mapRejectionReason(reason), rawReason };
}

function isYes(v: unknown): boolean {
  if (v === true || v === 1) return true;
  return typeof v === "string" && ACCEPTED_WORDS.has(v.trim().toLowerCase());
}

function reasonText(v: unknown): string | undefined {
  if (v === undefined || v === null || v === "") return undefined;
  const s = typeof v === "string" ? v : JSON.stringify(v);
  return s.length > 500 ? `${s.slice(0, 500)}…` : s;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  if (text.trim() === "") return { ok: false, error: "empty body" };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, error: `malformed JSON: ${JSON.stringify(text.slice(0, 80))}` };
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
