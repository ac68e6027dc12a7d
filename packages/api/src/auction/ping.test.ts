// The ping phase at its deadline: a network still out is a timeout, recorded beside the answers in
// hand, and its request is cut (its connection closed) CUT_AFTER_MS later, so no hanging request is
// left open and the teardown is not on the answer's path; a buyer answering late within that time
// keeps its connection; the errors the cut makes carry no stack frames to format (`cut`,
// docs/benchmarks.md).
import type { NetworkBuyer, WireLead } from "@leadflow/engine";
import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outboundPolicy } from "../outbound/guard";
import { buyerAgent, closeBuyerAgent } from "./http";
import { pingNetworks, type Exchange } from "./ping";
import type { BuyerRow } from "./load";

const events: string[] = [];
let base = "";
/** The answers /late holds back until the test lets them go. */
const late: ServerResponse[] = [];
let connections = 0;
const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  req.resume();
  if (req.url === "/late") {
    late.push(res);
    return;
  }
  if (req.url === "/bid") {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ accepted: true, bid: 12.5 }));
    return;
  }
  // /hang: never answers; say when the caller cut the request.
  res.on("close", () => events.push("hang closed"));
});

server.on("connection", () => connections++);

beforeAll(async () => {
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await closeBuyerAgent();
  server.closeAllConnections();
  server.close();
});

const network = (id: string): NetworkBuyer =>
  ({ id, type: "NETWORK", minBidCents: 0, pingTimeoutMs: 150 }) as unknown as NetworkBuyer;
const row = (id: string, path: string): BuyerRow =>
  ({ id, pingUrl: `${base}${path}`, requestTemplate: null, requestAuthSecret: null }) as unknown as BuyerRow;
const lead: WireLead = {
  id: "00000000-0000-4000-8000-000000000001",
  vertical: "roofing",
  zip: "75201",
  state: "TX",
  fields: {},
  contact: {},
  consent: {},
};

describe("pingNetworks at its deadline", () => {
  it("hands back the answer and a timeout at the deadline, and the hanging request is cut", async () => {
    const policy = outboundPolicy("127.0.0.0/8");
    const rows = new Map([
      ["a", row("a", "/bid")],
      ["b", row("b", "/hang")],
    ]);
    const exchanges = new Map<string, Exchange>();
    const records = await pingNetworks([network("a"), network("b")], rows, lead, exchanges, policy);
    events.push("records");
    expect(records.map((r) => [r.buyerId, r.outcome])).toEqual([
      ["a", "BID"],
      ["b", "TIMEOUT"],
    ]);
    expect(exchanges.get("b")?.error).toBe("no answer within 150 ms");
    expect(records[1]!.latencyMs).toBeGreaterThanOrEqual(149);
    // The buyer's server sees the hanging request's connection close.
    for (let i = 0; i < 100 && !events.includes("hang closed"); i++) await new Promise((r) => setTimeout(r, 20));
    expect(events).toEqual(["records", "hang closed"]);
  });

  it("cuts a request still out only after the answer, and a buyer answering late meanwhile keeps its connection", async () => {
    const policy = outboundPolicy("127.0.0.0/8");
    const rows = new Map([
      ["b", row("b", "/hang")],
      ["l", row("l", "/late")],
    ]);
    const closed = () => events.filter((e) => e === "hang closed").length;
    const closedBefore = closed();
    // A long grace, so that "not yet cut" below holds however slow the machine.
    const records = await pingNetworks([network("b"), network("l")], rows, lead, new Map(), policy, undefined, 2_000);
    expect(records.map((r) => r.outcome)).toEqual(["TIMEOUT", "TIMEOUT"]);
    expect(closed()).toBe(closedBefore);
    // The late buyer answers now, after its deadline: its answer is not used, but its connection
    // goes back to the pool, so its next ping needs no new one.
    const opened = connections;
    late.splice(0).forEach((res) => res.end(JSON.stringify({ accepted: true, bid: 99 })));
    // Until the client has read that answer: then only the hanging request is running.
    const running = () => Object.values(buyerAgent(policy).stats).reduce((a, p) => a + p.running, 0);
    for (let i = 0; i < 250 && running() > 1; i++) await new Promise((r) => setTimeout(r, 20));
    expect(running()).toBe(1);
    const next = pingNetworks([network("l")], new Map([["l", row("l", "/late")]]), lead, new Map(), policy);
    for (let i = 0; i < 100 && late.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(connections).toBe(opened);
    late.splice(0).forEach((res) => res.end(JSON.stringify({ accepted: true, bid: 7 })));
    expect((await next)[0]).toMatchObject({ outcome: "BID", bidCents: 700 });
    // The hanging one is cut once the grace is over.
    for (let i = 0; i < 200 && closed() === closedBefore; i++) await new Promise((r) => setTimeout(r, 20));
    expect(closed()).toBe(closedBefore + 1);
  });

  it("cuts the requests a deadline ended without formatting a stack for the errors that makes", async () => {
    // Every stack formatted meanwhile, by the error's message, with its number of frames.
    const formatted: [string, number][] = [];
    const before = Error.prepareStackTrace;
    Error.prepareStackTrace = (err: Error, frames: NodeJS.CallSite[]) => {
      formatted.push([err.message, frames.length]);
      return `${err.name}: ${err.message}`;
    };
    try {
      const rows = new Map([["b", row("b", "/hang")]]);
      const closed = events.filter((e) => e === "hang closed").length;
      const records = await pingNetworks([network("b")], rows, lead, new Map(), outboundPolicy("127.0.0.0/8"));
      expect(records[0]!.outcome).toBe("TIMEOUT");
      for (let i = 0; i < 100 && events.filter((e) => e === "hang closed").length === closed; i++)
        await new Promise((r) => setTimeout(r, 20));
      // The socket was destroyed with undici's "aborted" (its stack read: Node's streams do), and
      // that error, like the cut's own, has no frames to map.
      const cutErrors = formatted.filter(([message]) => ["aborted", "ping phase deadline"].includes(message));
      expect(cutErrors.map(([message]) => message)).toContain("aborted");
      expect(cutErrors.filter(([, frames]) => frames > 0)).toEqual([]);
    } finally {
      Error.prepareStackTrace = before;
    }
  });
});
