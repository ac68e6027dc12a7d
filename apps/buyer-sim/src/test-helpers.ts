import { afterEach } from "vitest";
import type { BuyerSimConfigInput } from "./config";
import type { BuyerSim, BuyerSimOptions } from "./server";
import { startBuyerSim } from "./server";

// Shared by the test files: each test starts its own sim on a free loopback port, and every
// sim started is closed after the test even when an assertion fails.

const started: BuyerSim[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
});

export async function sim(config: BuyerSimConfigInput, opts?: BuyerSimOptions): Promise<BuyerSim> {
  const s = await startBuyerSim(config, opts);
  started.push(s);
  return s;
}

let n = 0;
export function pingBody(over: Record<string, unknown> = {}): Record<string, unknown> {
  n++;
  return {
    pingId: `ping-${n}`,
    leadId: `lead-${n}`,
    vertical: "roofing",
    zip: "30301",
    state: "GA",
    fields: { roofAge: 12, homeowner: true },
    consent: { trustedFormCertUrl: "https://cert.trustedform.com/abc123" },
    ...over,
  };
}

export function postJson(url: string, body: unknown, init: RequestInit = {}): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
    ...init,
  });
}

/** Pings, then returns the parsed answer, the ping sent and the HTTP status. */
export async function ping(
  s: BuyerSim,
  id: string,
  over: Record<string, unknown> = {},
): Promise<{ status: number; json: unknown; sent: Record<string, unknown> }> {
  const sent = pingBody(over);
  const res = await postJson(s.pingUrl(id), sent);
  return { status: res.status, json: await res.json(), sent };
}
