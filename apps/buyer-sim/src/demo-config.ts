import type { BuyerSimConfigInput, ContractorConfigInput, Distribution, NetworkConfigInput } from "./config";

// The demo should look like a living market: buyers that differ in speed, price and pickiness,
// and a few percent of the ugly things real buyers do, so the timeline and the lost-reason
// chart have something to show. Everything is seeded, so two demo runs tell the same story.

type Latency = NetworkConfigInput["latencyMs"];
type Bid = NetworkConfigInput["bid"];

const uniform = (min: number, max: number) => ({ kind: "uniform", min, max }) as const;
const normal = (mean: number, sd: number, min: number, max?: number) =>
  ({ kind: "normal", mean, sd, min, max }) as const;
const realistic = uniform(20, 150);
const fewFailures = { hang: 0.01, error500: 0.02, reset: 0.005, malformed: 0.005 };

/** latency, bid ($), no-bid probability, reject rate, then anything else. */
const net = (latencyMs: Latency, bid: Bid, noBidProbability: number, rejectRate: number, more = {}) =>
  ({ latencyMs, bid, noBidProbability, rejectRate, ...more }) satisfies NetworkConfigInput;

const DEMO_NETWORKS: Record<string, NetworkConfigInput> = {
  "apex-home-leads": net(realistic, uniform(18, 42), 0.1, 0.1),
  "blue-ridge-media": net({ kind: "lognormal", median: 60, sigma: 0.4, max: 150 }, normal(25, 6, 5), 0.2, 0.15, {
    format: "nested",
  }),
  "cornerstone-roofing-net": net(realistic, uniform(30, 65), 0.35, 0.25, {
    rejectReasons: ["outside hours", "cap reached"],
  }),
  "direct-pro-exchange": net(normal(80, 25, 20, 150), uniform(12, 30), 0.15, 0.2, {
    failures: { ping: fewFailures, post: { error500: 0.02 } },
  }),
  "everlead-partners": net(realistic, { kind: "fixed", value: 22 }, 0.05, 0.3, {
    rejectReasons: ["duplicate", "invalid phone"],
  }),
  "fastbid-network": net(uniform(20, 60), uniform(8, 20), 0.1, 0.05),
  "granite-lead-co": net(realistic, normal(35, 10, 10), 0.25, 0.2, {
    format: "nested",
    failures: { ping: fewFailures },
  }),
  "harbor-quote-hub": net({ kind: "lognormal", median: 90, sigma: 0.3, max: 150 }, uniform(15, 45), 0.2, 0.15),
  "ironclad-leads": net(realistic, uniform(20, 55), 0.3, 0.35, {
    failures: { ping: { ...fewFailures, trickle: 0.005 }, post: { reset: 0.01 } },
  }),
  "juniper-marketplace": net(uniform(40, 150), normal(28, 8, 5), 0.15, 0.1),
};

// Demo-only secrets (base64 of readable text); the server's demo seed configures the same ones.
const secret = (name: string): string => `whsec_${Buffer.from(`leadflow-demo-${name}-secret`).toString("base64")}`;

/** A CRM answering within `latency`, failing (500) with probability `failureProbability`. */
const crm = (name: string, latencyMs: Latency, failureProbability: number): ContractorConfigInput => ({
  secret: secret(name),
  latencyMs,
  failureProbability,
});

const DEMO_CONTRACTORS: Record<string, ContractorConfigInput> = {
  "summit-roofing-crm": crm("summit-roofing", uniform(10, 80), 0.02),
  "peak-hvac-crm": crm("peak-hvac", uniform(10, 80), 0.03),
  "riverbend-solar-crm": crm("riverbend-solar", uniform(20, 120), 0.05),
  "oakline-plumbing-crm": crm("oakline-plumbing", { kind: "fixed", value: 30 }, 0.01),
  // Flaky on purpose, so the demo shows webhook retries and redelivery with the same id.
  "northstar-windows-crm": crm("northstar-windows", uniform(10, 60), 0.15),
};

/** The demo's buyers: 10 networks and 5 contractor CRMs with realistic, seeded behaviour. */
export function demoBuyerSimConfig(seed = 20260101): BuyerSimConfigInput {
  return { seed, networks: structuredClone(DEMO_NETWORKS), contractors: structuredClone(DEMO_CONTRACTORS) };
}

export interface GenerateNetworksOptions {
  latencyMs?: Distribution;
  idPrefix?: string;
  bid?: NetworkConfigInput["bid"];
  noBidProbability?: number;
  rejectRate?: number;
  failures?: NetworkConfigInput["failures"];
  format?: "default" | "nested";
}

/**
 * N identical, well-behaved networks for benchmarks: ids `${idPrefix}-001`…; bids $5-$50 and
 * no failures unless asked, so the measured cost is the platform's, not the sim's noise.
 */
export function generateNetworks(n: number, o: GenerateNetworksOptions = {}): Record<string, NetworkConfigInput> {
  const width = Math.max(3, String(n).length);
  const out: Record<string, NetworkConfigInput> = {};
  for (let i = 1; i <= n; i++) {
    out[`${o.idPrefix ?? "bench"}-${String(i).padStart(width, "0")}`] = {
      latencyMs: o.latencyMs ?? { kind: "fixed", value: 0 },
      bid: o.bid ?? { kind: "uniform", min: 5, max: 50 },
      noBidProbability: o.noBidProbability ?? 0,
      rejectRate: o.rejectRate ?? 0,
      failures: o.failures ?? {},
      format: o.format ?? "default",
    };
  }
  return out;
}

/** "0" or "80" → fixed; "20-150" → uniform; anything else → an Error saying what is expected. */
export function parseLatencyFlag(s: string): Distribution {
  const m = /^(\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?))?$/.exec(s.trim());
  if (!m?.[1]) throw new Error(`--latency expects "MS" or "MIN-MAX" in milliseconds, got "${s}"`);
  const min = Number(m[1]);
  if (m[2] === undefined) return { kind: "fixed", value: min };
  const max = Number(m[2]);
  if (max < min) throw new Error(`--latency "${s}": MIN must be ≤ MAX`);
  return { kind: "uniform", min, max };
}
