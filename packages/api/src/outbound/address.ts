// Which addresses LeadFlow may send HTTP to, and the allow-list (OUTBOUND_ALLOW) that lets a
// self-hoster reach buyers on a private network. Pure: no I/O. Range classification is
// ipaddr.js's; a few forms it calls "unicast" or tunnels are decided here.
import ipaddr from "ipaddr.js";
import { isIP } from "node:net";

type Ip = ipaddr.IPv4 | ipaddr.IPv6;

/** Human names for ipaddr.js ranges, as they appear in refusals. */
const KIND: Record<string, string> = {
  unspecified: "unspecified",
  broadcast: "broadcast",
  multicast: "multicast",
  linkLocal: "link-local",
  loopback: "loopback",
  carrierGradeNat: "shared address space 100.64.0.0/10",
  private: "private network",
  uniqueLocal: "unique local fc00::/7",
  deprecatedSiteLocal: "site-local",
  teredo: "Teredo tunnel",
  rfc6145: "IPv4-translated",
};

/** "1.2.3.4", "::1" or "[::1]" (a URL's hostname) → the address, or null when it is not one. */
export function parseAddress(text: string): Ip | null {
  const bare = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  // node's isIP accepts only the standard forms (no "127.1", "0x7f.1", "2130706433"); a URL's
  // hostname is already normalised to them (see outbound.test.ts), a DNS answer always is.
  if (!isIP(bare)) return null;
  try {
    // process() turns an IPv4-mapped IPv6 address (::ffff:127.0.0.1) into the IPv4 one.
    return ipaddr.process(bare);
  } catch {
    return null;
  }
}

/**
 * Why an address is not on the public internet ("loopback", "private network", …), or null when
 * it is an ordinary public unicast address. Anything unparseable is refused too.
 */
export function privateKind(address: string | Ip): string | null {
  const ip = typeof address === "string" ? parseAddress(address) : address;
  if (!ip) return "not an IP address";
  const range = ip.range();
  if (ip.kind() === "ipv6") {
    const v6 = ip as ipaddr.IPv6;
    const parts = v6.parts;
    // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) carry an IPv4 address: judge that one.
    if (range === "rfc6052")
      return privateKind(
        ipaddr.IPv4.parse(`${parts[6]! >> 8}.${parts[6]! & 255}.${parts[7]! >> 8}.${parts[7]! & 255}`),
      );
    if (range === "6to4")
      return privateKind(
        ipaddr.IPv4.parse(`${parts[1]! >> 8}.${parts[1]! & 255}.${parts[2]! >> 8}.${parts[2]! & 255}`),
      );
    // ::/96, the deprecated IPv4-compatible form (::127.0.0.1), which ipaddr.js calls unicast.
    if (range === "unicast" && parts.slice(0, 6).every((p) => p === 0)) return "IPv4-compatible (deprecated)";
  }
  if (range === "unicast") return null;
  return KIND[range] ?? "reserved";
}

/** One OUTBOUND_ALLOW entry: a network (CIDR or a single address) or a host name. */
export type AllowEntry =
  | { kind: "cidr"; text: string; range: [Ip, number] }
  | { kind: "host"; text: string; name: string; subdomains: boolean };

const HOST_RE = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** A host name as compared: lower case, without the root's trailing dot. */
export function normalHost(name: string): string {
  return name.toLowerCase().replace(/\.$/, "");
}

/**
 * Parses OUTBOUND_ALLOW: comma-separated CIDRs ("10.0.0.0/8", "fd00::/8"), single addresses
 * ("::1") and host names ("crm.corp.example", "*.corp.example" for its subdomains).
 */
export function parseAllowList(text: string): { ok: true; entries: AllowEntry[] } | { ok: false; error: string } {
  const entries: AllowEntry[] = [];
  for (const raw of text.split(",")) {
    const item = raw.trim();
    if (!item) continue;
    if (item.includes("/")) {
      const [addr, bits] = item.split("/");
      if (!isIP(addr ?? "") || !/^\d{1,3}$/.test(bits ?? ""))
        return { ok: false, error: `"${item}" is not a CIDR like 10.0.0.0/8 or fd00::/8` };
      try {
        const range = ipaddr.parseCIDR(item);
        entries.push({ kind: "cidr", text: item, range });
      } catch {
        return { ok: false, error: `"${item}" is not a CIDR like 10.0.0.0/8 or fd00::/8 (prefix too long?)` };
      }
    } else if (isIP(item)) {
      const ip = ipaddr.parse(item);
      entries.push({ kind: "cidr", text: item, range: [ip, ip.kind() === "ipv4" ? 32 : 128] });
    } else {
      const name = normalHost(item);
      const m = HOST_RE.exec(name);
      if (!m || /^[\d.]+$/.test(name))
        return { ok: false, error: `"${item}" is neither a CIDR, an IP address nor a host name` };
      entries.push({ kind: "host", text: item, name: m[1] ? name.slice(2) : name, subdomains: !!m[1] });
    }
  }
  return { ok: true, entries };
}

/** The address is inside an allowed network (an IPv4-mapped address matches IPv4 networks). */
export function addressAllowed(address: string | Ip, allow: readonly AllowEntry[]): boolean {
  const ip = typeof address === "string" ? parseAddress(address) : address;
  if (!ip) return false;
  return allow.some((e) => {
    if (e.kind !== "cidr") return false;
    let [net, bits] = e.range;
    // An IPv4-mapped network (::ffff:10.0.0.0/104) is the IPv4 network it maps.
    if (net.kind() === "ipv6" && bits >= 96 && (net as ipaddr.IPv6).isIPv4MappedAddress()) {
      net = (net as ipaddr.IPv6).toIPv4Address();
      bits -= 96;
    }
    // An IPv4 address against another IPv6 network: compare its mapped form (::ffff:a.b.c.d).
    const cand: Ip = net.kind() === "ipv6" && ip.kind() === "ipv4" ? (ip as ipaddr.IPv4).toIPv4MappedAddress() : ip;
    return cand.kind() === net.kind() && cand.match(net, bits);
  });
}

/** The host name is allowed by name (exactly, or as a subdomain of a "*." entry). */
export function hostAllowed(host: string, allow: readonly AllowEntry[]): boolean {
  const name = normalHost(host);
  return allow.some((e) => e.kind === "host" && (e.subdomains ? name.endsWith(`.${e.name}`) : name === e.name));
}

/**
 * Names that mean "this machine or its private network" by convention, refused without asking
 * DNS: localhost and *.localhost (RFC 6761), *.local (mDNS), *.internal (cloud metadata and
 * private zones, e.g. metadata.google.internal).
 */
export function isLocalName(host: string): boolean {
  const name = normalHost(host);
  return name === "localhost" || /\.(localhost|local|internal)$/.test(name) || name === "local" || name === "internal";
}
