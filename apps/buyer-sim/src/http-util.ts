import type { IncomingMessage, ServerResponse } from "node:http";
import type { FailureMode } from "./config";

export class BodyTooLargeError extends Error {}

/** Collects the request body; one chunk (the usual case for a ping) is returned without a copy. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let first: Buffer | null = null;
    let chunks: Buffer[] | null = null;
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new BodyTooLargeError());
        req.removeAllListeners("data");
        req.resume();
        return;
      }
      if (first === null) first = c;
      else (chunks ??= [first]).push(c);
    });
    req.on("end", () => resolve(chunks ? Buffer.concat(chunks, size) : (first ?? Buffer.alloc(0))));
    req.on("error", reject);
  });
}

export function sendJson(res: ServerResponse, status: number, body: string): void {
  if (res.destroyed || res.writableEnded) return;
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
  });
  res.end(body);
}

export const errorBody = (message: string, extra?: Record<string, unknown>): string =>
  JSON.stringify({ error: message, ...extra });

/** Runs fn after ms; zero latency stays synchronous so the hot path never touches the timer heap. */
export function after(ms: number, fn: () => void): void {
  if (ms <= 0) fn();
  // unref: a pending simulated delay must never keep a test process or a closed sim alive.
  else setTimeout(fn, ms).unref();
}

export function resetConnection(res: ServerResponse): void {
  const s = res.socket;
  if (!s || s.destroyed) return;
  // resetAndDestroy sends a TCP RST, which is what a crashed or overloaded peer looks like.
  if (typeof s.resetAndDestroy === "function") s.resetAndDestroy();
  else s.destroy();
}

const paddingCache = new Map<number, Buffer>();
function padding(bytes: number): Buffer {
  let b = paddingCache.get(bytes);
  if (!b) {
    b = Buffer.alloc(bytes, "x");
    paddingCache.set(bytes, b);
  }
  return b;
}

export interface FailureOptions {
  hugeBodyBytes: number;
  trickleMs: number;
}

/**
 * Answers with the failure `mode`. `good` is the body the buyer would have sent (a JSON
 * object), so "huge" and "trickle" stay valid JSON and only size or timing is wrong.
 */
export function respondWithFailure(res: ServerResponse, mode: FailureMode, good: string, opts: FailureOptions): void {
  if (res.destroyed) return;
  switch (mode) {
    case "hang":
      return; // never answered; the socket closes when the client gives up
    case "error500":
      return sendJson(res, 500, errorBody("internal server error"));
    case "reset":
      return resetConnection(res);
    case "malformed":
      // A truncated object, as a crashing upstream emits.
      return sendJson(res, 200, good.slice(0, -1) + ",");
    case "huge": {
      const head = good.slice(0, -1) + ',"padding":"';
      const tail = '"}';
      const pad = padding(Math.max(0, opts.hugeBodyBytes - head.length - tail.length));
      res.writeHead(200, {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(head) + pad.length + tail.length,
      });
      res.write(head);
      res.write(pad);
      res.end(tail);
      return;
    }
    case "trickle":
      return trickle(res, good, opts.trickleMs);
  }
}

/** Headers at once, then the body in pieces spread so that the last arrives after `ms`. */
function trickle(res: ServerResponse, body: string, ms: number): void {
  const buf = Buffer.from(body);
  const step = Math.ceil(buf.length / Math.min(buf.length, 20));
  const pieces = Math.ceil(buf.length / step);
  // Timers run off the loop's cached clock and may fire a little early; aim at absolute
  // deadlines so the whole body never arrives before `ms` has really passed.
  const start = performance.now();
  res.writeHead(200, { "content-type": "application/json", "content-length": buf.length });
  res.flushHeaders();
  let i = 0;
  const tick = (): void => {
    if (res.destroyed) return;
    const due = start + ((i + 1) * ms) / pieces;
    const now = performance.now();
    if (now < due) {
      setTimeout(tick, Math.ceil(due - now)).unref();
      return;
    }
    const chunk = buf.subarray(i * step, (i + 1) * step);
    i++;
    if (i >= pieces) res.end(chunk);
    else {
      res.write(chunk);
      setTimeout(tick, Math.ceil(start + ((i + 1) * ms) / pieces - performance.now())).unref();
    }
  };
  setTimeout(tick, Math.ceil(ms / pieces)).unref();
}
