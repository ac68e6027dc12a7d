import { z } from "zod";
import type { BuyerSimConfig, ContractorConfig, NetworkConfig } from "./config";
import { BuyerIdSchema, parseContractorConfig, parseNetworkConfig, parseWith } from "./config";
import type { ContractorState, ContractorStats } from "./contractor";
import { createContractor, emptyContractorStats, reconfigureContractor } from "./contractor";
import type { NetworkState, NetworkStats } from "./network";
import { createNetwork, emptyNetworkStats, reconfigureNetwork } from "./network";

export type BuyerKind = "network" | "contractor";

/** A buyer's config with an optional `kind`; `kind` is needed only for an id the sim does not know yet. */
export type BuyerInput = { kind?: BuyerKind } & Record<string, unknown>;

export type BuyerView =
  { id: string; kind: "network"; config: NetworkConfig } | { id: string; kind: "contractor"; config: ContractorConfig };

export interface BuyerSimStats {
  networks: Record<string, NetworkStats>;
  contractors: Record<string, ContractorStats>;
  totals: { pings: number; bids: number; posts: number; accepts: number; rejects: number; webhooksReceived: number };
}

const KindSchema = z.strictObject({
  kind: z.enum(["network", "contractor"], {
    error: 'kind is required for a new buyer id: "network" or "contractor"',
  }),
});

/** The buyers of one sim, keyed by id; the HTTP routes and the in-process API both go through it. */
export class BuyerRegistry {
  readonly networks = new Map<string, NetworkState>();
  readonly contractors = new Map<string, ContractorState>();

  constructor(private readonly cfg: BuyerSimConfig) {
    for (const [id, n] of Object.entries(cfg.networks)) {
      this.networks.set(id, createNetwork(id, n, cfg.seed, cfg.maxRememberedPings));
    }
    for (const [id, c] of Object.entries(cfg.contractors)) {
      this.contractors.set(id, createContractor(id, c, cfg.seed));
    }
  }

  get(id: string): BuyerView | null {
    const n = this.networks.get(id);
    if (n) return { id, kind: "network", config: n.cfg };
    const c = this.contractors.get(id);
    return c ? { id, kind: "contractor", config: c.cfg } : null;
  }

  /** Replaces (or creates) a buyer; throws BuyerSimConfigError naming the bad field. */
  set(id: string, input: BuyerInput): BuyerView {
    parseWith(BuyerIdSchema, id, "buyer id");
    const { kind: given, ...rest } = input;
    // An explicit kind is validated (JSON from /admin may say anything); otherwise the id's own.
    const kind = parseWith(KindSchema, { kind: given ?? this.get(id)?.kind }, "buyer config").kind;
    if (kind === "network") {
      const cfg = parseNetworkConfig(rest);
      this.contractors.delete(id);
      const n = this.networks.get(id);
      if (n) reconfigureNetwork(n, cfg, this.cfg.seed);
      else this.networks.set(id, createNetwork(id, cfg, this.cfg.seed, this.cfg.maxRememberedPings));
      return { id, kind, config: cfg };
    }
    const cfg = parseContractorConfig(rest);
    this.networks.delete(id);
    const c = this.contractors.get(id);
    if (c) reconfigureContractor(c, cfg, this.cfg.seed);
    else this.contractors.set(id, createContractor(id, cfg, this.cfg.seed));
    return { id, kind, config: cfg };
  }

  /** Shallow-merges into the current config: handy for flipping one switch such as `down`. */
  patch(id: string, patch: Record<string, unknown>): BuyerView | null {
    const cur = this.get(id);
    if (!cur) return null;
    // The buyer's kind is fixed by the id here; a patch cannot change it.
    return this.set(id, { ...cur.config, ...patch, kind: cur.kind });
  }

  /** A deep copy, so callers can compare snapshots taken before and after. */
  stats(): BuyerSimStats {
    const totals = { pings: 0, bids: 0, posts: 0, accepts: 0, rejects: 0, webhooksReceived: 0 };
    const networks: Record<string, NetworkStats> = {};
    for (const [id, n] of this.networks) {
      networks[id] = structuredClone(n.stats);
      totals.pings += n.stats.pings;
      totals.bids += n.stats.bids;
      totals.posts += n.stats.posts;
      totals.accepts += n.stats.accepts;
      totals.rejects += n.stats.rejects;
    }
    const contractors: Record<string, ContractorStats> = {};
    for (const [id, c] of this.contractors) {
      contractors[id] = { ...structuredClone(c.stats), received: structuredClone([...c.received.values()]) };
      totals.webhooksReceived += c.stats.webhooksReceived;
    }
    return { networks, contractors, totals };
  }

  resetStats(): void {
    for (const n of this.networks.values()) n.stats = emptyNetworkStats();
    for (const c of this.contractors.values()) {
      c.stats = emptyContractorStats();
      c.received.clear();
    }
  }

  config(): BuyerSimConfig {
    const networks: Record<string, NetworkConfig> = {};
    for (const [id, n] of this.networks) networks[id] = n.cfg;
    const contractors: Record<string, ContractorConfig> = {};
    for (const [id, c] of this.contractors) contractors[id] = c.cfg;
    return { ...this.cfg, networks, contractors };
  }
}
