// Outbound HTTP to buyers through undici. One keep-alive Agent (it keeps a connection pool per
// origin) is shared by every lead, so a ping reuses a warm socket instead of paying a handshake.
// Each call gets its own AbortSignal; a response larger than the limit is cut off, not buffered.
// Every connection goes through the outbound guard (../outbound): a private address is refused
// before the socket connects, whatever the URL or DNS says.
import { isQueryError } from "@leadflow/db";
import { Agent, request } from "undici";
import { outboundConnector, STRICT_OUTBOUND, type OutboundPolicy } from "../outbound/guard";

/** Raw bodies kept on transactions are capped here (8 KB). */
export const RECORD_LIMIT = 8 * 1024;
/** A buyer's answer larger than this is an error: nobody needs 64 KB to say a price. */
export const RESPONSE_LIMIT = 64 * 1024;

/** One keep-alive agent per policy (a process has one: its Services'). */
const shared = new Map<OutboundPolicy, Agent>();

/** The process-wide keep-alive agent for a policy; tests and the benchmark close them with closeBuyerAgent. */
export function buyerAgent(policy: OutboundPolicy = STRICT_OUTBOUND): Agent {
  let agent = shared.get(policy);
  if (!agent) {
    agent = new Agent({
      keepAliveTimeout: 30_000,
      keepAliveMaxTimeout: 60_000,
      connections: 256,
      pipelining: 1,
      headersTimeout: 0,
      bodyTimeout: 0,
      connect: outboundConnector(policy),
    });
    shared.set(policy, agent);
  }
  return agent;
}

export async function closeBuyerAgent(): Promise<void> {
  const all = [...shared.values()];
  shared.clear();
  await Promise.all(all.map((a) => a.close()));
}

export interface HttpResult {
  status: number;
  text: string;
  /** The body was longer than the limit; text holds the part read. */
  tooLarge: boolean;
  /** The answer's headers (the test request shows them). */
  headers: Record<string, string>;
}

export function cap(text: string | null | undefined, limit = RECORD_LIMIT): string | null {
  if (text === null || text === undefined) return null;
  return text.length > limit ? `${text.slice(0, limit)}…[truncated]` : text;
}

/**
 * POSTs a body: JSON unless `headers` carry another content-type (a buyer's request template);
 * resolves with the (size-limited) answer, rejects on transport errors and aborts, and
 * with OutboundRefused when the guard refuses the address. `policy` is the caller's Services'
 * `outbound` (undefined: the strict default).
 */
export async function postJson(
  policy: OutboundPolicy | undefined,
  url: string,
  body: string,
  signal: AbortSignal,
  headers: Record<string, string> = {},
  limit = RESPONSE_LIMIT,
): Promise<HttpResult> {
  return requestText(policy, "POST", url, body, signal, { "content-type": "application/json", ...headers }, limit);
}

/**
 * One request through the guarded keep-alive agent (a GET when body is null): the answer's status
 * and size-limited text; rejects on transport errors, aborts and OutboundRefused, like postJson.
 * The consent providers (compliance/consent) use it too.
 */
export async function requestText(
  policy: OutboundPolicy | undefined,
  method: "GET" | "POST",
  url: string,
  body: string | null,
  signal: AbortSignal,
  headers: Record<string, string> = {},
  limit = RESPONSE_LIMIT,
): Promise<HttpResult> {
  const res = await request(url, {
    method,
    dispatcher: buyerAgent(policy),
    headers,
    ...(body === null ? {} : { body }),
    signal,
  });
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of res.body) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > limit) {
      tooLarge = true;
      chunks.push(b.subarray(0, Math.max(0, limit - (size - b.length))));
      res.body.destroy();
      break;
    }
    chunks.push(b);
  }
  const answerHeaders: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers))
    if (v !== undefined) answerHeaders[k] = Array.isArray(v) ? v.join(", ") : v;
  return { status: res.statusCode, text: Buffer.concat(chunks).toString("utf8"), tooLarge, headers: answerHeaders };
}

export function errorText(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    const code = (err as { code?: string }).code ?? (cause as { code?: string } | undefined)?.code;
    // drizzle wraps a database error with the whole SQL as its message; the reason is the cause's.
    const message = isQueryError(err) && cause instanceof Error ? `database refused: ${cause.message}` : err.message;
    return code ? `${message} (${code})` : message;
  }
  return String(err);
}
