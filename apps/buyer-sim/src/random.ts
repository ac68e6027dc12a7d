import type { Distribution, FailureMode, FailureRates } from "./config";
import { FAILURE_MODES } from "./config";

export type Rng = () => number;

/** mulberry32: tiny, fast and good enough for simulation; same seed, same sequence. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Each buyer gets its own stream derived from (sim seed, buyer id), so one buyer's sequence
 * does not depend on how requests to other buyers interleave with it.
 */
export function seedFor(simSeed: number, buyerId: string): number {
  let h = 0x811c9dc5 ^ simSeed;
  for (let i = 0; i < buyerId.length; i++) h = Math.imul(h ^ buyerId.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function standardNormal(rng: Rng): number {
  // Box-Muller; 1 - u keeps the log argument in (0, 1].
  const u1 = 1 - rng();
  const u2 = rng();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

export function sample(d: Distribution, rng: Rng): number {
  switch (d.kind) {
    case "fixed":
      return d.value;
    case "uniform":
      return d.min + (d.max - d.min) * rng();
    case "normal": {
      const v = d.mean + d.sd * standardNormal(rng);
      return Math.min(Math.max(v, d.min), d.max ?? Infinity);
    }
    case "lognormal": {
      const v = d.median * Math.exp(d.sigma * standardNormal(rng));
      return Math.min(v, d.max ?? Infinity);
    }
  }
}

/** One uniform draw mapped onto the cumulative failure probabilities. */
export function pickFailure(rates: FailureRates, u: number): FailureMode | null {
  let acc = 0;
  for (const mode of FAILURE_MODES) {
    acc += rates[mode];
    if (u < acc) return mode;
  }
  return null;
}
