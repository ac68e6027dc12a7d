import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { BuyerSimConfigInput, NetworkConfigInput } from "./config";
import { BuyerSimConfigError } from "./config";
import { demoBuyerSimConfig, generateNetworks, parseLatencyFlag } from "./demo-config";
import { startBuyerSim } from "./server";

const USAGE = `Usage: tsx src/main.ts [options]
  --config FILE      buyer-sim config JSON (default: the built-in demo config)
  --port N           port to listen on (default 4100; 0 picks a free one)
  --host H           address to bind (default 127.0.0.1)
  --seed N           PRNG seed (overrides the config's)
  --networks N       replace the networks with N generated, well-behaved ones (bench-001…)
  --latency SPEC     network latency in ms: "0", "80" or "20-150" (applies to every network)
  --no-bid P         generated networks: no-bid probability 0..1
  --reject-rate P    generated networks: POST reject rate 0..1
  --hang P           generated networks: probability a ping hangs 0..1
  --help             this text`;

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

function probabilityFlag(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const p = Number(v);
  if (!(p >= 0 && p <= 1)) fail(`--${name} expects a probability between 0 and 1, got "${v}"`);
  return p;
}

function intFlag(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) fail(`--${name} expects a non-negative integer, got "${v}"`);
  return n;
}

function buildConfig(values: Record<string, string | boolean | undefined>): BuyerSimConfigInput {
  const str = (k: string): string | undefined => (typeof values[k] === "string" ? values[k] : undefined);
  let config: BuyerSimConfigInput = demoBuyerSimConfig();
  const file = str("config");
  if (file) {
    try {
      config = JSON.parse(readFileSync(file, "utf8")) as BuyerSimConfigInput;
    } catch (e) {
      fail(`Cannot read config ${file}: ${(e as Error).message}`);
    }
  }
  const seed = intFlag("seed", str("seed"));
  if (seed !== undefined) config.seed = seed;

  const latencySpec = str("latency");
  let latency;
  try {
    latency = latencySpec === undefined ? undefined : parseLatencyFlag(latencySpec);
  } catch (e) {
    fail((e as Error).message);
  }
  const count = intFlag("networks", str("networks"));
  if (count !== undefined) {
    const hang = probabilityFlag("hang", str("hang"));
    config.networks = generateNetworks(count, {
      latencyMs: latency ?? { kind: "uniform", min: 20, max: 150 },
      noBidProbability: probabilityFlag("no-bid", str("no-bid")),
      rejectRate: probabilityFlag("reject-rate", str("reject-rate")),
      failures: hang === undefined ? {} : { ping: { hang }, post: {} },
    });
  } else if (latency) {
    const nets: Record<string, NetworkConfigInput> = config.networks ?? {};
    for (const n of Object.values(nets)) n.latencyMs = latency;
  }
  return config;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      config: { type: "string" },
      port: { type: "string" },
      host: { type: "string" },
      seed: { type: "string" },
      networks: { type: "string" },
      latency: { type: "string" },
      "no-bid": { type: "string" },
      "reject-rate": { type: "string" },
      hang: { type: "string" },
      help: { type: "boolean" },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const config = buildConfig(values);
  const sim = await startBuyerSim(config, {
    port: intFlag("port", values.port) ?? 4100,
    host: values.host ?? "127.0.0.1",
  });
  const cfg = sim.config();
  console.log(`buyer-sim listening on ${sim.url}`);
  const networks = Object.keys(cfg.networks).length;
  const contractors = Object.keys(cfg.contractors).length;
  console.log(
    `  ${networks} networks (/networks/:id/ping|post), ${contractors} contractors (/contractors/:id/webhook), ` +
      `stats at ${sim.url}/stats`,
  );
  const stop = (): void => {
    void sim.close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((e: unknown) => {
  if (e instanceof BuyerSimConfigError) fail(e.message);
  const code = e instanceof Error && "code" in e ? String(e.code) : "";
  if (code.startsWith("ERR_PARSE_ARGS")) fail(`${(e as Error).message}\n\n${USAGE}`);
  fail(e instanceof Error ? (e.stack ?? e.message) : String(e));
});
