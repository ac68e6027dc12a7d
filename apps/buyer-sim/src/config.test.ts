import { describe, expect, it } from "vitest";
import { BuyerSimConfigError, parseBuyerSimConfig, parseContractorConfig, parseNetworkConfig } from "./config";
import { demoBuyerSimConfig, generateNetworks, parseLatencyFlag } from "./demo-config";

const errorOf = (fn: () => unknown): BuyerSimConfigError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof BuyerSimConfigError) return e;
    throw e;
  }
  throw new Error("expected a BuyerSimConfigError");
};

describe("config", () => {
  it("fills defaults for an empty network", () => {
    const n = parseNetworkConfig({});
    expect(n.latencyMs).toEqual({ kind: "fixed", value: 0 });
    expect(n.format).toBe("default");
    expect(n.failures.ping.hang).toBe(0);
    expect(n.rejectReasons).toContain("duplicate");
    expect(n.hugeBodyBytes).toBe(5 * 1024 * 1024);
  });

  it("names the field that is wrong", () => {
    const e = errorOf(() =>
      parseBuyerSimConfig({ networks: { "net-a": { latencyMs: { kind: "uniform", min: 200, max: 100 } } } }),
    );
    expect(e.code).toBe("BUYER_SIM_CONFIG_INVALID");
    expect(e.message).toContain("networks.net-a.latencyMs.max");
    expect(e.message).toContain("min must be ≤ max");
    expect(e.issues[0]?.path).toEqual(["networks", "net-a", "latencyMs", "max"]);
  });

  it("refuses typos, unknown distributions, bad probabilities and failure rates over 1", () => {
    expect(errorOf(() => parseNetworkConfig({ rejctRate: 0.1 })).message).toContain('Unrecognized key: "rejctRate"');
    expect(errorOf(() => parseNetworkConfig({ latencyMs: { kind: "pareto" } })).message).toContain("latencyMs");
    expect(errorOf(() => parseNetworkConfig({ noBidProbability: 1.5 })).message).toContain("noBidProbability");
    expect(errorOf(() => parseNetworkConfig({ bid: { kind: "lognormal", median: 3, sigma: 1 } })).message).toContain(
      "bid",
    );
    const over = errorOf(() => parseNetworkConfig({ failures: { ping: { hang: 0.6, error500: 0.5 } } }));
    expect(over.message).toContain("at most 1");
    expect(over.message).toContain("failures.ping");
    expect(errorOf(() => parseBuyerSimConfig({ networks: { "bad id!": {} } })).message).toContain("buyer id");
  });

  it("validates contractor secrets and accepts downUntil as ISO or epoch ms", () => {
    expect(errorOf(() => parseContractorConfig({ secret: "not base64!" })).message).toContain("secret must be base64");
    expect(errorOf(() => parseContractorConfig({})).message).toContain("secret");
    const iso = parseContractorConfig({ secret: "whsec_c2VjcmV0", downUntil: "2026-01-01T00:00:00Z" });
    expect(iso.downUntil).toBe(Date.parse("2026-01-01T00:00:00Z"));
    expect(parseContractorConfig({ secret: "c2VjcmV0", downUntil: 5 }).downUntil).toBe(5);
    expect(errorOf(() => parseContractorConfig({ secret: "c2VjcmV0", downUntil: "tomorrow" })).message).toContain(
      "downUntil",
    );
  });

  it("parses its own output again (admin PATCH relies on it)", () => {
    const once = parseBuyerSimConfig(demoBuyerSimConfig());
    expect(parseBuyerSimConfig(once)).toEqual(once);
  });
});

describe("demo and generated configs", () => {
  it("the demo has ~10 networks and ~5 contractors with realistic latency and a few failures", () => {
    const c = parseBuyerSimConfig(demoBuyerSimConfig());
    expect(Object.keys(c.networks)).toHaveLength(10);
    expect(Object.keys(c.contractors)).toHaveLength(5);
    for (const n of Object.values(c.networks)) {
      const l = n.latencyMs;
      if (l.kind === "uniform") expect([l.min >= 20, l.max <= 150]).toEqual([true, true]);
      const failRate = Object.values(n.failures.ping).reduce((a, b) => a + b, 0);
      expect(failRate).toBeLessThan(0.06);
    }
    expect(Object.values(c.networks).some((n) => n.format === "nested")).toBe(true);
  });

  it("generates N clean networks with the given latency", () => {
    const nets = generateNetworks(50, { latencyMs: { kind: "fixed", value: 0 } });
    expect(Object.keys(nets)).toHaveLength(50);
    expect(Object.keys(nets)[0]).toBe("bench-001");
    const c = parseBuyerSimConfig({ networks: nets });
    expect(c.networks["bench-050"]?.rejectRate).toBe(0);
  });

  it("parses --latency", () => {
    expect(parseLatencyFlag("0")).toEqual({ kind: "fixed", value: 0 });
    expect(parseLatencyFlag("20-150")).toEqual({ kind: "uniform", min: 20, max: 150 });
    expect(() => parseLatencyFlag("fast")).toThrow(/MIN-MAX/);
    expect(() => parseLatencyFlag("150-20")).toThrow(/≤/);
  });
});
