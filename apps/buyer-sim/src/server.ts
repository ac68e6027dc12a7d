import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { BuyerSimConfig, BuyerSimConfigInput } from "./config";
import { BuyerSimConfigError, parseBuyerSimConfig } from "./config";
import { handleWebhook } from "./contractor";
import { BodyTooLargeError, errorBody, readBody, sendJson } from "./http-util";
import { handlePing, handlePost } from "./network";
import type { BuyerInput, BuyerSimStats, BuyerView } from "./registry";
import { BuyerRegistry } from "./registry";

export interface BuyerSimOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** Only the webhook timestamp check and `downUntil` read time; tests may pass a ManualClock. */
  clock?: { now(): Date };
}

export interface BuyerSim {
  url: string;
  port: number;
  close(): Promise<void>;
  stats(): BuyerSimStats;
  resetStats(): void;
  /** Replace (or add) a buyer's behaviour; throws BuyerSimConfigError with the bad field. */
  setBuyer(id: string, cfg: BuyerInput): BuyerView;
  /** Shallow-merge into a buyer's current config; null for an unknown id. */
  patchBuyer(id: string, patch: Record<string, unknown>): BuyerView | null;
  config(): BuyerSimConfig;
  pingUrl(networkId: string): string;
  postUrl(networkId: string): string;
  webhookUrl(contractorId: string): string;
}

export async function startBuyerSim(input: BuyerSimConfigInput, opts: BuyerSimOptions = {}): Promise<BuyerSim> {
  const cfg = parseBuyerSimConfig(input);
  const reg = new BuyerRegistry(cfg);
  const now = opts.clock ? () => opts.clock!.now().getTime() : Date.now;

  const server = createServer({ noDelay: true }, (req, res) => {
    try {
      route(req, res, reg, cfg.maxBodyBytes, now);
    } catch {
      sendJson(res, 500, errorBody("buyer-sim internal error"));
    }
  });
  // Keep-alive longer than any client pool's idle timeout, so the client always closes first
  // and never races a server-side close (which would show up as spurious resets in benchmarks).
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 125_000;
  // A "hang" must last until the client aborts, whatever Node's defaults say.
  server.requestTimeout = 0;
  server.timeout = 0;

  const port = await listen(server, opts.port ?? 0, opts.host ?? "127.0.0.1");
  const host = opts.host && opts.host !== "0.0.0.0" && opts.host !== "::" ? opts.host : "127.0.0.1";
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  let closing: Promise<void> | null = null;
  // A connection accepted in the same turn as close() escapes closeAllConnections(); if its
  // request hangs, close() would wait forever. Drop such late arrivals at once.
  server.on("connection", (socket) => {
    if (closing) socket.destroy();
  });

  return {
    url,
    port,
    close: () =>
      (closing ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Hung requests would otherwise hold close() open forever.
        server.closeAllConnections();
      })),
    stats: () => reg.stats(),
    resetStats: () => reg.resetStats(),
    setBuyer: (id, c) => reg.set(id, c),
    patchBuyer: (id, p) => reg.patch(id, p),
    config: () => reg.config(),
    pingUrl: (id) => `${url}/networks/${id}/ping`,
    postUrl: (id) => `${url}/networks/${id}/post`,
    webhookUrl: (id) => `${url}/contractors/${id}/webhook`,
  };
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function route(
  req: IncomingMessage,
  res: ServerResponse,
  reg: BuyerRegistry,
  maxBody: number,
  now: () => number,
): void {
  const raw = req.url ?? "/";
  const q = raw.indexOf("?");
  const parts = (q === -1 ? raw : raw.slice(0, q)).split("/");
  // parts[0] is always "" because paths start with "/".
  const [, a, id, action] = parts;
  const method = req.method;

  if (a === "networks" && id !== undefined && parts.length === 4 && (action === "ping" || action === "post")) {
    const net = reg.networks.get(id);
    if (!net) return sendJson(res, 404, errorBody(`unknown network '${id}'`));
    if (method !== "POST") return notAllowed(res, "POST");
    return withBody(req, res, maxBody, (body) =>
      action === "ping" ? handlePing(net, body, res) : handlePost(net, body, res),
    );
  }
  if (a === "contractors" && id !== undefined && parts.length === 4 && action === "webhook") {
    const c = reg.contractors.get(id);
    if (!c) return sendJson(res, 404, errorBody(`unknown contractor '${id}'`));
    if (method !== "POST") return notAllowed(res, "POST");
    return withBody(req, res, maxBody, (body) => handleWebhook(c, req, body, res, now()));
  }
  if (parts.length === 2 && a === "healthz") return sendJson(res, 200, `{"ok":true}`);
  if (parts.length === 2 && a === "stats") {
    if (method !== "GET") return notAllowed(res, "GET");
    return sendJson(res, 200, JSON.stringify(reg.stats()));
  }
  if (a === "admin") return admin(req, res, reg, parts, maxBody);
  sendJson(res, 404, errorBody("not found"));
}

function admin(req: IncomingMessage, res: ServerResponse, reg: BuyerRegistry, parts: string[], maxBody: number): void {
  const method = req.method;
  if (parts.length === 3 && parts[2] === "stats" && method === "DELETE") {
    reg.resetStats();
    return sendJson(res, 200, `{"ok":true}`);
  }
  const id = parts[3];
  if (parts.length !== 4 || parts[2] !== "buyers" || !id) return sendJson(res, 404, errorBody("not found"));
  if (method === "GET") {
    const b = reg.get(id);
    return b ? sendJson(res, 200, JSON.stringify(b)) : sendJson(res, 404, errorBody(`unknown buyer '${id}'`));
  }
  if (method !== "POST" && method !== "PATCH") return notAllowed(res, "GET, POST, PATCH");
  withBody(req, res, maxBody, (body) => {
    let json: unknown;
    try {
      json = JSON.parse(body.toString("utf8"));
    } catch {
      return sendJson(res, 400, errorBody("body is not valid JSON"));
    }
    if (json === null || typeof json !== "object" || Array.isArray(json)) {
      return sendJson(res, 400, errorBody("body must be a JSON object"));
    }
    try {
      const view = method === "POST" ? reg.set(id, json as BuyerInput) : reg.patch(id, json as Record<string, unknown>);
      if (!view) return sendJson(res, 404, errorBody(`unknown buyer '${id}'`));
      sendJson(res, 200, JSON.stringify(view));
    } catch (e) {
      if (!(e instanceof BuyerSimConfigError)) throw e;
      sendJson(res, 400, errorBody(e.message, { issues: e.issues }));
    }
  });
}

function withBody(req: IncomingMessage, res: ServerResponse, maxBody: number, fn: (body: Buffer) => void): void {
  readBody(req, maxBody).then(
    (body) => {
      try {
        fn(body);
      } catch {
        sendJson(res, 500, errorBody("buyer-sim internal error"));
      }
    },
    (err: unknown) => {
      if (err instanceof BodyTooLargeError) sendJson(res, 413, errorBody(`body over ${maxBody} bytes`));
      // Otherwise the client went away mid-body: nobody to answer.
    },
  );
}

function notAllowed(res: ServerResponse, allow: string): void {
  res.setHeader("allow", allow);
  sendJson(res, 405, errorBody("method not allowed"));
}
