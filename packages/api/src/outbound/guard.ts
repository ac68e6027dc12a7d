// The one guard every outbound HTTP request goes through (pings, posts, webhooks, and anything
// later that uses outboundAgent). It refuses loopback, private, link-local, multicast,
// unspecified and reserved addresses twice:
//   - when a URL is saved (checkOutboundUrl): the host is resolved and every address judged, so
//     the person sees a field error at once;
//   - when a connection is opened (outboundConnector): the addresses DNS gives at that moment are
//     judged again before the socket connects, so a name that resolved to a public address when
//     it was saved and to 127.0.0.1 now (DNS rebinding) is still refused.
// OUTBOUND_ALLOW (an OutboundPolicy's allow list) lets chosen networks and hosts through.
import type { LookupAddress } from "node:dns";
import { lookup as dnsLookup } from "node:dns/promises";
import { isIP, type LookupFunction } from "node:net";
import { buildConnector } from "undici";
import {
  addressAllowed,
  hostAllowed,
  isLocalName,
  normalHost,
  parseAllowList,
  parseAddress,
  privateKind,
  type AllowEntry,
} from "./address";

/** Resolves a host name to all its addresses (tests inject one; the default asks the system). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export interface OutboundPolicy {
  /** Networks and hosts let through although private (OUTBOUND_ALLOW). */
  allow: readonly AllowEntry[];
  /** Name resolution for both checks; node:dns lookup when absent. */
  resolve?: Resolver;
}

/** Production's default: every private address refused, nothing allowed. */
export const STRICT_OUTBOUND: OutboundPolicy = Object.freeze({ allow: [] });

/** A policy from OUTBOUND_ALLOW's text; throws with the bad entry named. */
export function outboundPolicy(allowText: string, resolve?: Resolver): OutboundPolicy {
  const parsed = parseAllowList(allowText);
  if (!parsed.ok) throw new Error(`OUTBOUND_ALLOW: ${parsed.error}`);
  return resolve ? { allow: parsed.entries, resolve } : { allow: parsed.entries };
}

/** A connection the guard refused; its message is what the delivery or transaction records. */
export class OutboundRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OutboundRefused";
  }
}

const systemResolve: Resolver = (hostname) => dnsLookup(hostname, { all: true });

/** The address (canonical) and why it may not be reached under the policy, or null. */
function addressRefusal(address: string, policy: OutboundPolicy): { address: string; kind: string } | null {
  const kind = privateKind(address);
  if (!kind || addressAllowed(address, policy.allow)) return null;
  return { address: parseAddress(address)?.toString() ?? address, kind };
}

const PUBLIC_ONLY = "leads are only sent to public addresses (OUTBOUND_ALLOW lets a private network through).";
const refusedAt = (r: { address: string; kind: string }) => `refused: address ${r.address} is private (${r.kind})`;

/** How long a save waits for DNS before saying the name could not be looked up. */
const SAVE_LOOKUP_MS = 5_000;

const LOCAL_NAME = "a name for this machine or a private network (localhost, *.localhost, *.local, *.internal)";

// ---------------------------------------------------------------------------------------------
// Save time

/**
 * Checks a URL about to be saved for outbound use. Resolves its host (a name that does not
 * resolve is refused too: nothing could be delivered to it). Returns the problem in words that
 * follow `what` ("The webhook URL"), or null when the URL may be used.
 */
export async function checkOutboundUrl(url: string, policy: OutboundPolicy, what = "The URL"): Promise<string | null> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return `${what} must be an http:// or https:// address.`;
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") return `${what} must be an http:// or https:// address.`;
  // WHATWG URL parsing has already turned 2130706433, 0177.0.0.1, 0x7f.1 and 127.1 into 127.0.0.1.
  const host = u.hostname.startsWith("[") ? u.hostname.slice(1, -1) : u.hostname;
  if (hostAllowed(host, policy.allow)) return null;
  if (isIP(host)) {
    const refusal = addressRefusal(host, policy);
    return refusal ? `${what} points at ${refusal.address}, a private address (${refusal.kind}); ${PUBLIC_ONLY}` : null;
  }
  const name = normalHost(host);
  if (isLocalName(name)) return `${what} names "${name}", ${LOCAL_NAME}; leads are only sent to public addresses.`;
  let addresses: LookupAddress[];
  let timer: NodeJS.Timeout | undefined;
  try {
    // A save waits for DNS at most SAVE_LOOKUP_MS (the system's own retries can take much longer).
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error("timed out"), { code: "ETIMEOUT" })), SAVE_LOOKUP_MS);
    });
    addresses = await Promise.race([(policy.resolve ?? systemResolve)(name), late]);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === "ENOTFOUND" || code === "ENODATA" || code === "EAI_NONAME")
      return `${what}: "${name}" does not resolve (no DNS record); check the spelling.`;
    return `${what}: "${name}" could not be looked up just now (${code ?? (err instanceof Error ? err.message : String(err))}); try again.`;
  } finally {
    clearTimeout(timer);
  }
  if (addresses.length === 0) return `${what}: "${name}" does not resolve (no DNS record); check the spelling.`;
  for (const a of addresses) {
    const refusal = addressRefusal(a.address, policy);
    if (refusal)
      return `${what}: "${name}" resolves to ${refusal.address}, a private address (${refusal.kind}); ${PUBLIC_ONLY}`;
  }
  return null;
}

/** Many URLs at once (an import), each host looked up once; problems keyed by the caller's index. */
export async function checkOutboundUrls<K>(
  items: readonly { key: K; url: string; what: string }[],
  policy: OutboundPolicy,
): Promise<{ key: K; message: string }[]> {
  const out: { key: K; message: string; i: number }[] = [];
  const cache = new Map<string, Promise<LookupAddress[]>>();
  const resolve = policy.resolve ?? systemResolve;
  const cached: OutboundPolicy = {
    ...policy,
    resolve: (h) => cache.get(h) ?? (cache.set(h, resolve(h)), cache.get(h)!),
  };
  // A few lookups at a time: an import of 1000 buyers must not open 1000 DNS queries at once.
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      const it = items[i]!;
      const message = await checkOutboundUrl(it.url, cached, it.what);
      if (message) out.push({ key: it.key, message, i });
    }
  };
  await Promise.all(Array.from({ length: Math.min(8, items.length) }, worker));
  return out.sort((a, b) => a.i - b.i).map(({ key, message }) => ({ key, message }));
}

// ---------------------------------------------------------------------------------------------
// Connect time

/**
 * A net.connect `lookup` that resolves through the policy and refuses the connection when any
 * address is private (not just the one picked: a rebinding answer may list several).
 */
export function guardedLookup(policy: OutboundPolicy): LookupFunction {
  const resolve = policy.resolve ?? systemResolve;
  return (hostname, options, callback) => {
    const allowedByName = hostAllowed(hostname, policy.allow);
    if (!allowedByName && isLocalName(hostname)) {
      callback(new OutboundRefused(`refused: "${normalHost(hostname)}" is ${LOCAL_NAME}`), "", 0);
      return;
    }
    resolve(hostname).then(
      (all) => {
        const family =
          options.family === 4 || options.family === "IPv4"
            ? 4
            : options.family === 6 || options.family === "IPv6"
              ? 6
              : 0;
        const wanted = family ? all.filter((a) => a.family === family) : all;
        if (!allowedByName) {
          for (const a of all) {
            const refusal = addressRefusal(a.address, policy);
            if (refusal)
              return callback(new OutboundRefused(`${refusedAt(refusal)}, resolved from ${hostname}`), "", 0);
          }
        }
        if (wanted.length === 0) {
          const err = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND", hostname });
          return callback(err, "", 0);
        }
        if (options.all) (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, wanted);
        else callback(null, wanted[0]!.address, wanted[0]!.family);
      },
      (err: unknown) => callback(err as NodeJS.ErrnoException, "", 0),
    );
  };
}

/**
 * An undici connector that refuses private addresses: an address in the URL is judged here (the
 * system never looks it up), a name through guardedLookup when the socket resolves it.
 */
export function outboundConnector(
  policy: OutboundPolicy,
  options: buildConnector.BuildOptions = {},
): buildConnector.connector {
  const base = buildConnector({ ...options, lookup: guardedLookup(policy) } as buildConnector.BuildOptions);
  return (opts, callback) => {
    const host = opts.hostname.startsWith("[") ? opts.hostname.slice(1, -1) : opts.hostname;
    if (isIP(host) && !hostAllowed(host, policy.allow)) {
      const refusal = addressRefusal(host, policy);
      if (refusal) {
        callback(new OutboundRefused(refusedAt(refusal)), null);
        return;
      }
    }
    return base(opts, callback);
  };
}
