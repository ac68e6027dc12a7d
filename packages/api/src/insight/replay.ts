// What-if replay: the buyer's recorded leads of the last N days go again through the engine's own
// conductAuction (the function the live auction runs), with the buyer's changed settings and, for
// everyone else, what was recorded: their verdicts, ping answers, bids and POST answers. Nothing
// is written and nobody is called: the ports answer from the recording, the reads run in one READ
// ONLY transaction, and the buyer's caps, duplicate look-back and money (balance, budgets: see
// replay-money.ts) are counted over the replay's own sales. See docs/insight.md for what is
// assumed where the recording has no answer.
import {
  getReplayBuyer,
  listEarlierBuyerSales,
  listReplayBuyerZips,
  listReplayCompetitors,
  listReplayMoney,
  listVerticalFloors,
  selectReplayHistory,
  type DbOrTx,
  type ReplayHistoryRow,
} from "@leadflow/db";
import {
  checkSaleRules,
  duplicateLookbackStart,
  localPeriods,
  REJECTION_REASONS,
  conductAuction,
  SALE_RULE_REASONS,
  type AuctionPorts,
  type Buyer,
  type BuyerCounters,
  type ComplianceRequirement,
  type ConsentClaimVerdict,
  type ContractorBuyer,
  type LeadConsent,
  type LeadOutcome,
  type LeadValidation,
  type LocalPeriods,
  type LostReason,
  type NetworkBuyer,
  type PingRecord,
  type PostResult,
  type RejectionReason,
} from "@leadflow/engine";
import { performance } from "node:perf_hooks";
import { toEngineBuyer, type BuyerRow } from "../buyers/mapping";
import { consentWithClaims } from "../compliance/consent/claim";
import { AppError } from "../errors";
import { SimulatedMoney, type RecordedMoney } from "./replay-money";
import type { ReplayChanges, ReplayInput } from "./replay-input";

const DAY = 86_400_000;
/** A monthly cap counts at most 31 days back (32 covers any time zone). */
const CAP_LOOKBACK_DAYS = 32;

export interface ReplayViewer {
  orgId: string;
  role: string;
}

type TxRow = {
  leadId: string;
  buyerId: string;
  kind: "PING" | "POST" | "DIRECT";
  pingOutcome: "BID" | "NO_BID" | "TIMEOUT" | "ERROR" | null;
  bidCents: number | null;
  isWinner: boolean;
  lostReason: LostReason | null;
  cascadePosition: number | null;
  latencyMs: number | null;
  priceCents: number | null;
  postedOverHttp: boolean;
  detail: string | null;
};

interface LeadRow {
  id: string;
  vertical: string;
  zip: string;
  state: string | null;
  receivedAt: Date;
  processingAt: Date | null;
  /** The evidence and what its claims said, as the auction decided on it. */
  consent: LeadConsent;
  validation: LeadValidation | null;
  phone: string | null;
  email: string | null;
  phoneHash: string | null;
  emailHash: string | null;
}

const jsonOf = <T>(v: unknown): T | null => (typeof v === "string" ? (JSON.parse(v) as T) : ((v as T) ?? null));

export interface ReplaySide {
  won: boolean;
  priceCents: number | null;
  /** A lost reason, a not-eligible code, or NOT_CONSIDERED (the buyer was not in the auction). */
  reason: string | null;
  detail: string | null;
}

export interface ReplayLeadRow {
  leadId: string;
  receivedAt: Date;
  zip: string;
  recorded: ReplaySide;
  replay: ReplaySide;
  /** The replay needed an answer the recording does not have (see docs/insight.md). */
  assumed: boolean;
}

export interface ReplayResult {
  buyerId: string;
  buyerName: string;
  buyerType: "NETWORK" | "CONTRACTOR";
  from: Date;
  to: Date;
  leads: number;
  recorded: { won: number; spentCents: number };
  replay: { won: number; spentCents: number; avgPriceCents: number | null };
  gained: number;
  lost: number;
  assumed: number;
  /** Why the replay did not win the leads it did not win. */
  lostReasons: { reason: string; count: number }[];
  /** Changed outcomes first, then the replay's losses, newest first; at most `rows`. */
  rows: ReplayLeadRow[];
  ms: { load: number; replay: number; total: number };
}

/** Only the buyer's own organisation (or an admin) may replay it; anyone else gets NOT_FOUND. */
export async function replayBuyer(
  db: DbOrTx,
  viewer: ReplayViewer,
  input: ReplayInput,
  now: Date,
): Promise<ReplayResult> {
  const t0 = performance.now();
  const to = now;
  const from = new Date(now.getTime() - input.days * DAY);
  return db.transaction(
    async (tx) => {
      const row = await getReplayBuyer(tx, input.buyerId);
      if (!row || (viewer.role !== "admin" && row.orgId !== viewer.orgId))
        throw new AppError("NOT_FOUND", "No such buyer.");
      const zips = await listReplayBuyerZips(tx, row.id);
      const target = applyChanges(toEngineBuyer(row, zips), input.changes);
      const history = { ...(await loadHistory(tx, row, target, from, to)), bidOverride: input.changes.bidCents };
      const t1 = performance.now();
      const result = await replayLeads(row, target, history, input.rows);
      const t2 = performance.now();
      return { ...result, from, to, ms: { load: round(t1 - t0), replay: round(t2 - t1), total: round(t2 - t0) } };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/** The buyer as it would be with the changes: the same mapping the live auction uses, then the overrides. */
export function applyChanges(buyer: Buyer, c: ReplayChanges): Buyer {
  const caps = { ...buyer.caps };
  if (c.capDaily !== undefined) caps.daily = c.capDaily;
  if (c.capWeekly !== undefined) caps.weekly = c.capWeekly;
  if (c.capMonthly !== undefined) caps.monthly = c.capMonthly;
  const base = {
    ...buyer,
    caps,
    ...(c.serviceZips
      ? {
          serviceZips: c.serviceZips.map((z) => ({
            zip: z.zip,
            priority: z.priority,
            maxBidCents: z.maxBidCents ?? null,
          })),
        }
      : {}),
    ...(c.timeZone ? { timeZone: c.timeZone } : {}),
    ...(c.hours !== undefined ? { hours: c.hours } : {}),
  };
  if (base.type === "NETWORK") {
    return { ...base, ...(c.minBidCents !== undefined ? { minBidCents: c.minBidCents } : {}) };
  }
  return {
    ...base,
    ...(c.pricingModel ? { pricingModel: c.pricingModel } : {}),
    ...(c.maxBidCents !== undefined ? { maxBidCents: c.maxBidCents } : {}),
    ...(c.fixedLeadPriceCents !== undefined ? { fixedLeadPriceCents: c.fixedLeadPriceCents } : {}),
    ...(c.sharedPriceCents !== undefined ? { sharedPriceCents: c.sharedPriceCents } : {}),
    ...(c.deliveryMode ? { deliveryMode: c.deliveryMode } : {}),
    ...(c.maxSharedLeads ? { maxSharedLeads: c.maxSharedLeads } : {}),
  };
}

interface Verdict {
  eligible: boolean;
  reason: string | null;
  detail: string | null;
  /** The zip priority an eligible verdict was given. */
  priority: number | null;
}

interface History {
  leads: LeadRow[];
  txByLead: Map<string, TxRow[]>;
  /** Competitors' terms as they are now (mode, slots, fixed and shared prices). */
  rows: Map<string, BuyerRow>;
  /** lead → buyer → recorded eligibility verdict. */
  verdicts: Map<string, Map<string, Verdict>>;
  floors: Map<string, number>;
  /** The buyer's recorded sales before the window that still count against caps and duplicates. */
  earlier: ({ at: Date } & ReplayPerson)[];
  /** The buyer's ledger and sales as recorded, for its balance and spend (replay-money.ts). */
  money: RecordedMoney;
  bidOverride: number | undefined;
}

type HistoryRow = ReplayHistoryRow & { consent: LeadRow["consent"] | string | null };

type TxTuple = [
  string,
  TxRow["kind"],
  TxRow["pingOutcome"],
  number | null,
  boolean,
  LostReason | null,
  number | null,
  number | null,
  number | null,
  boolean,
  string | null,
];

/**
 * Everything the replay reads, as one row per lead with its transactions and the verdicts it needs
 * aggregated to JSON by PostgreSQL: parsing 10,000 JSON strings is much cheaper than 150,000 rows.
 */
async function loadHistory(
  tx: DbOrTx,
  row: BuyerRow,
  target: Buyer,
  from: Date,
  to: Date,
): Promise<Omit<History, "bidOverride">> {
  const verticalList = target.verticals.length ? [...target.verticals] : [""];
  const [res, floorRows, earlier, money] = await Promise.all([
    selectReplayHistory(tx, { buyerId: row.id, verticals: verticalList, from, to }),
    listVerticalFloors(tx),
    // Only the earlier sales that can still count: against a cap, or as a duplicate.
    listEarlierBuyerSales(tx, {
      buyerId: row.id,
      since: new Date(from.getTime() - Math.max(CAP_LOOKBACK_DAYS, target.duplicateLookbackDays ?? 0) * DAY),
      receivedBefore: from,
    }),
    // Spend counts from the first of the buyer's month at most: 32 days covers any zone.
    listReplayMoney(tx, { buyerId: row.id, since: new Date(from.getTime() - CAP_LOOKBACK_DAYS * DAY), from, to }),
  ]);
  const leadRows: LeadRow[] = [];
  const txByLead = new Map<string, TxRow[]>();
  const verdicts = new Map<string, Map<string, Verdict>>();
  const competitorIds = new Set<string>();
  for (const r of res as HistoryRow[]) {
    leadRows.push({
      id: r.id,
      vertical: r.vertical,
      zip: r.zip,
      state: r.state,
      receivedAt: new Date(r.received_at),
      processingAt: r.processing_at ? new Date(r.processing_at) : null,
      consent: consentWithClaims(
        jsonOf<LeadConsent>(r.consent) ?? {},
        jsonOf<Partial<Record<ComplianceRequirement, ConsentClaimVerdict>>>(r.claims) ?? {},
      ),
      validation: jsonOf<LeadValidation>(r.validation),
      phone: r.phone,
      email: r.email,
      phoneHash: r.phone_hash,
      emailHash: r.email_hash,
    });
    const list: TxRow[] = [];
    for (const x of r.txs ? (JSON.parse(r.txs) as TxTuple[]) : []) {
      list.push({
        leadId: r.id,
        buyerId: x[0],
        kind: x[1],
        pingOutcome: x[2],
        bidCents: x[3],
        isWinner: x[4],
        lostReason: x[5],
        cascadePosition: x[6],
        latencyMs: x[7],
        priceCents: x[8],
        postedOverHttp: x[9],
        detail: x[10],
      });
      competitorIds.add(x[0]);
    }
    txByLead.set(r.id, list);
    if (r.verdicts) {
      const m = new Map<string, Verdict>();
      for (const [buyerId, eligible, reason, detail, priority] of JSON.parse(r.verdicts) as [
        string,
        boolean,
        string | null,
        string | null,
        number | null,
      ][]) {
        m.set(buyerId, { eligible, reason, detail, priority });
      }
      verdicts.set(r.id, m);
    }
  }
  const competitorRows = competitorIds.size ? await listReplayCompetitors(tx, [...competitorIds]) : [];
  return {
    leads: leadRows,
    txByLead,
    rows: new Map(competitorRows.map((r) => [r.id, r])),
    verdicts,
    floors: new Map(floorRows.map((f) => [f.key, f.floor])),
    earlier,
    money,
  };
}

/**
 * How the replay knows a person: the normalized phone and email and their keyed hashes
 * (leads.phone_hash, email_hash), as the live duplicate check does (db personSalesSql). A lead
 * purged by retention keeps only the hashes, and is still the same person.
 */
export interface ReplayPerson {
  phone: string | null;
  email: string | null;
  phoneHash?: string | null;
  emailHash?: string | null;
}

function personKeys(p: ReplayPerson): string[] {
  const keys: string[] = [];
  if (p.phone) keys.push(`p:${p.phone}`);
  if (p.email) keys.push(`e:${p.email}`);
  if (p.phoneHash) keys.push(`ph:${p.phoneHash}`);
  if (p.emailHash) keys.push(`eh:${p.emailHash}`);
  return keys;
}

/**
 * The buyer's sales as the replay makes them, for its caps and duplicate look-back: the same
 * counters readCounters gives the live auction, over recorded sales before the window and the
 * replay's own sales inside it (given in time order). A fast copy of the engine's countSales, held
 * to it by auction/sale-rules.property.test.ts.
 */
export class SimulatedCounters {
  private readonly times: number[] = [];
  private readonly lastByContact = new Map<string, number>();
  constructor(
    private readonly buyer: Buyer,
    earlier: readonly ({ at: Date } & ReplayPerson)[],
  ) {
    for (const e of earlier) this.add(e.at, e);
  }
  add(at: Date, person: ReplayPerson): void {
    const t = at.getTime();
    this.times.push(t);
    for (const k of personKeys(person)) this.lastByContact.set(k, Math.max(t, this.lastByContact.get(k) ?? 0));
  }
  private periods: LocalPeriods | null = null;
  at(at: Date, person: ReplayPerson): BuyerCounters {
    // Leads come in time order: the day (and so the week and month) changes rarely.
    const t = at.getTime();
    let p = this.periods;
    if (!p || t < p.day.start.getTime() || t >= p.day.end.getTime())
      p = this.periods = localPeriods(at, this.buyer.timeZone);
    const since = (start: Date) => this.times.length - lowerBound(this.times, start.getTime());
    const back = duplicateLookbackStart(at, this.buyer.duplicateLookbackDays ?? 0).getTime();
    const dup = personKeys(person).some((k) => (this.lastByContact.get(k) ?? -1) >= back);
    return {
      salesToday: since(p.day.start),
      salesThisWeek: since(p.week.start),
      salesThisMonth: since(p.month.start),
      duplicateWithinLookback: dup,
    };
  }
}

function lowerBound(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const isRejection = (r: string | null): r is RejectionReason =>
  r !== null && (REJECTION_REASONS as readonly string[]).includes(r);

/**
 * A competitor as the engine must see it to reach the recorded verdict: eligible (only eligible
 * buyers have a transaction), serving the lead's zip at its recorded priority, with its recorded
 * bid as its price, and the rules that decide at the moment of sale left to the recorded answers.
 */
function competitor(t: TxRow, row: BuyerRow | undefined, lead: LeadRow, priority: number | null): Buyer | null {
  if (!row) return null;
  // Built as literals (no spreads): this runs for every competitor of every replayed lead.
  if (row.type === "NETWORK") {
    const n: NetworkBuyer = {
      id: t.buyerId,
      type: "NETWORK",
      active: true,
      verticals: [lead.vertical],
      serviceZips: [{ zip: lead.zip, priority: 1 }],
      timeZone: "UTC",
      // A recorded BELOW_MIN_BID stays below the buyer's floor.
      minBidCents: t.lostReason === "BELOW_MIN_BID" && t.bidCents !== null ? t.bidCents + 1 : 0,
    };
    return n;
  }
  const recordedExclusive = t.bidCents !== null && !(row.pricingModel === "HYBRID" && t.isWinner) ? t.bidCents : null;
  const c: ContractorBuyer = {
    id: t.buyerId,
    type: "CONTRACTOR",
    active: true,
    verticals: [lead.vertical],
    serviceZips: [{ zip: lead.zip, priority: priority ?? 1, maxBidCents: null }],
    timeZone: "UTC",
    deliveryMode: row.deliveryMode,
    maxSharedLeads: row.maxSharedLeads,
    pricingModel: row.pricingModel,
    fixedLeadPriceCents:
      row.pricingModel === "FIXED" ? (recordedExclusive ?? row.fixedLeadPriceCents) : row.fixedLeadPriceCents,
    maxBidCents: row.pricingModel === "FIXED" ? row.maxBidCents : (recordedExclusive ?? row.maxBidCents),
    sharedPriceCents: row.sharedPriceCents,
  };
  return c;
}

const isSaleRule = (r: string | null): boolean => r !== null && (SALE_RULE_REASONS as readonly string[]).includes(r);

/**
 * What a recorded buyer answered when it was posted (or claimed); undefined: never asked. The stage
 * says how far it got: the buyer's answer to a POST sent over HTTP, our sale rules refusing it
 * before (a recorded hours/cap/duplicate refusal without a POST; no cascadePosition since POSTs
 * alone are numbered), or a claim.
 */
function recordedAnswer(t: TxRow | undefined): PostResult | undefined {
  if (!t) return undefined;
  if (t.isWinner) return { accepted: true, stage: t.postedOverHttp ? "POST" : "SALE" };
  if (!isRejection(t.lostReason)) return undefined;
  if (t.cascadePosition === null && t.kind !== "DIRECT" && !isSaleRule(t.lostReason)) return undefined;
  const stage = t.postedOverHttp ? "POST" : isSaleRule(t.lostReason) ? "RULES" : "SALE";
  return { accepted: false, lostReason: t.lostReason, stage, ...(t.detail ? { rawReason: t.detail } : {}) };
}

async function replayLeads(row: BuyerRow, target: Buyer, h: History, maxRows: number) {
  const counters = new SimulatedCounters(target, h.earlier);
  const money = new SimulatedMoney(target, h.money, new Set(h.leads.map((l) => l.id)));
  const out: ReplayLeadRow[] = [];
  const reasons = new Map<string, number>();
  let recordedWon = 0;
  let recordedSpent = 0;
  let won = 0;
  let spent = 0;
  let gained = 0;
  let lost = 0;
  let assumedCount = 0;

  for (const lead of h.leads) {
    const at = lead.processingAt ?? lead.receivedAt;
    const recordedTx = h.txByLead.get(lead.id) ?? [];
    const byBuyer = new Map(recordedTx.map((t) => [t.buyerId, t]));
    const own = byBuyer.get(row.id);
    const leadVerdicts = h.verdicts.get(lead.id);
    const list: Buyer[] = [target];
    for (const t of recordedTx) {
      if (t.buyerId === row.id) continue;
      const c = competitor(t, h.rows.get(t.buyerId), lead, leadVerdicts?.get(t.buyerId)?.priority ?? null);
      if (c) list.push(c);
    }
    // The live auction loads buyers in id order; ties in the ranking depend on it.
    list.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    let assumed = false;
    const ownMoney = money.at(at);
    const ownCounters: BuyerCounters = {
      ...counters.at(at, lead),
      ...(ownMoney ? { money: ownMoney } : {}),
    };
    const saleCheck = (priceCents: number): PostResult | null => {
      // The buyer's counters and money cannot move inside one lead: it buys a lead at most once.
      // At the sale's price, as claim_sale decides: balance, credit limit, money budgets.
      const v = checkSaleRules(target, ownCounters, at, priceCents);
      return v.ok ? null : { accepted: false, lostReason: v.reason, rawReason: v.detail, stage: "RULES" };
    };
    const answerOf = (buyerId: string, priceCents: number): PostResult => {
      const t = byBuyer.get(buyerId);
      const rec = recordedAnswer(t);
      if (buyerId === row.id) {
        const refused = saleCheck(priceCents);
        if (refused) return refused;
        // Its own sale rules decide again; a refusal in its own words (an HTTP answer) stands.
        if (rec && !rec.accepted && t?.postedOverHttp) return rec;
        if (target.type === "NETWORK" && !(rec?.accepted && t?.postedOverHttp)) assumed = true;
        return { accepted: true, stage: target.type === "NETWORK" ? "POST" : "SALE" };
      }
      if (rec) return rec;
      const network = h.rows.get(buyerId)?.type === "NETWORK";
      if (network) assumed = true;
      return { accepted: true, stage: network ? "POST" : "SALE" };
    };
    const ports: AuctionPorts = {
      clock: { now: () => at },
      async ping(networks) {
        return networks.map((n): PingRecord => {
          const t = byBuyer.get(n.id);
          if (n.id === row.id && h.bidOverride !== undefined) {
            return {
              buyerId: n.id,
              outcome: "BID",
              bidCents: h.bidOverride,
              latencyMs: t?.latencyMs ?? 0,
              detail: "what-if bid",
            };
          }
          if (!t || t.pingOutcome === null) {
            return {
              buyerId: n.id,
              outcome: "NO_BID",
              latencyMs: 0,
              detail: "not pinged in the recording: no bid known",
            };
          }
          return {
            buyerId: n.id,
            outcome: t.pingOutcome,
            ...(t.bidCents !== null && t.pingOutcome === "BID" ? { bidCents: t.bidCents } : {}),
            ...(t.latencyMs !== null ? { latencyMs: t.latencyMs } : {}),
            ...(t.detail ? { detail: t.detail } : {}),
          };
        });
      },
      async post(bid) {
        return answerOf(bid.buyerId, bid.amountCents);
      },
      async claim(winner) {
        return answerOf(winner.contractor.id, winner.priceCents);
      },
    };
    const outcome: LeadOutcome = await conductAuction(
      {
        lead: {
          id: lead.id,
          vertical: lead.vertical,
          zip: lead.zip,
          state: lead.state,
          receivedAt: lead.receivedAt,
          consent: lead.consent,
          validation: lead.validation,
          // A person the screens refused stays refused: no change of settings lifts a suppression.
          ...(leadVerdicts?.get(row.id)?.reason === "SUPPRESSED"
            ? { screening: { everyone: null, buyers: { [row.id]: leadVerdicts.get(row.id)!.detail ?? "suppressed" } } }
            : {}),
        },
        buyers: list,
        counters: { [row.id]: ownCounters },
        verticalFloorCents: h.floors.get(lead.vertical) ?? 0,
      },
      ports,
    );
    const rec = outcome.records.find((r) => r.buyerId === row.id);
    const verdict = outcome.plan.verdicts.find((v) => v.buyerId === row.id);
    const replay: ReplaySide = rec?.isWinner
      ? { won: true, priceCents: rec.priceCents, reason: null, detail: rec.detail }
      : rec
        ? {
            won: false,
            priceCents: null,
            reason:
              rec.lostReason ?? (outcome.unsoldReason === "CASCADE_EXHAUSTED" ? "CASCADE_EXHAUSTED" : "NOT_SELECTED"),
            detail: rec.detail,
          }
        : verdict && !verdict.eligible
          ? { won: false, priceCents: null, reason: verdict.reason, detail: verdict.detail }
          : { won: false, priceCents: null, reason: "NOT_CONSIDERED", detail: "not part of the auction" };
    const ownVerdict = leadVerdicts?.get(row.id);
    const recorded: ReplaySide = own
      ? {
          won: own.isWinner,
          priceCents: own.isWinner ? own.priceCents : null,
          reason: own.isWinner ? null : own.lostReason,
          detail: own.detail,
        }
      : ownVerdict && !ownVerdict.eligible
        ? { won: false, priceCents: null, reason: ownVerdict.reason, detail: ownVerdict.detail }
        : {
            won: false,
            priceCents: null,
            reason: "NOT_CONSIDERED",
            detail: "was not a buyer of this vertical then, or was paused",
          };
    if (replay.won) {
      won++;
      spent += replay.priceCents ?? 0;
      counters.add(at, lead);
      money.charge(lead.id, at, replay.priceCents ?? 0);
    } else {
      reasons.set(replay.reason ?? "UNKNOWN", (reasons.get(replay.reason ?? "UNKNOWN") ?? 0) + 1);
    }
    if (recorded.won) {
      recordedWon++;
      recordedSpent += recorded.priceCents ?? 0;
    }
    if (replay.won && !recorded.won) gained++;
    if (!replay.won && recorded.won) lost++;
    if (assumed) assumedCount++;
    out.push({ leadId: lead.id, receivedAt: lead.receivedAt, zip: lead.zip, recorded, replay, assumed });
  }
  const changed = (r: ReplayLeadRow) =>
    r.recorded.won !== r.replay.won || r.recorded.priceCents !== r.replay.priceCents;
  const rank = (r: ReplayLeadRow) => (changed(r) ? 0 : !r.replay.won ? 1 : 2);
  const rows = out
    .map((r, i) => ({ r, i }))
    .sort((a, b) => rank(a.r) - rank(b.r) || b.i - a.i)
    .slice(0, maxRows)
    .map((x) => x.r);
  return {
    buyerId: row.id,
    buyerName: row.name,
    buyerType: row.type,
    leads: h.leads.length,
    recorded: { won: recordedWon, spentCents: recordedSpent },
    replay: { won, spentCents: spent, avgPriceCents: won ? Math.round(spent / won) : null },
    gained,
    lost,
    assumed: assumedCount,
    lostReasons: [...reasons]
      .map(([reason, count]) => ({ reason, count }))
      .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
    rows,
  };
}
