// The outbound guard: which addresses are private (every spelling an attacker might use), the
// allow-list, the save-time URL check, and the connect-time check against a real HTTP listener on
// loopback that counts what reaches it (DNS rebinding included: a name that resolves to a public
// address when saved and to 127.0.0.1 when connected).
import type { LookupAddress } from "node:dns";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { closeBuyerAgent, postJson } from "../auction/http";
import { testResolve } from "../testing";
import { addressAllowed, hostAllowed, isLocalName, parseAllowList, privateKind } from "./address";
import { checkOutboundUrl, outboundPolicy, OutboundRefused, STRICT_OUTBOUND, type Resolver } from "./guard";

/** The host a URL's parser leaves (brackets off), as the guard sees it. */
const hostOf = (url: string) => new URL(url).hostname.replace(/^\[|\]$/g, "");

describe("privateKind", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["::1", "loopback"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["0.0.0.0", "unspecified"],
    ["0.1.2.3", "unspecified"],
    ["::", "unspecified"],
    ["169.254.169.254", "link-local"],
    ["fe80::1", "link-local"],
    ["10.0.0.1", "private network"],
    ["10.255.255.255", "private network"],
    ["172.16.0.1", "private network"],
    ["172.31.255.255", "private network"],
    ["192.168.1.1", "private network"],
    ["::ffff:10.1.2.3", "private network"],
    ["100.64.0.1", "shared address space 100.64.0.0/10"],
    ["100.127.255.254", "shared address space 100.64.0.0/10"],
    ["fc00::1", "unique local fc00::/7"],
    ["fd12:3456::1", "unique local fc00::/7"],
    ["224.0.0.1", "multicast"],
    ["239.255.255.250", "multicast"],
    ["ff02::1", "multicast"],
    ["255.255.255.255", "broadcast"],
    ["240.0.0.1", "reserved"],
    ["192.0.2.1", "reserved"],
    ["2001:db8::1", "reserved"],
    ["::7f00:1", "IPv4-compatible (deprecated)"], // ::127.0.0.1, a URL's spelling of it
    ["::127.0.0.1", "loopback"],
    ["64:ff9b::7f00:1", "loopback"], // NAT64 of 127.0.0.1
    ["2002:a00:1::1", "private network"], // 6to4 of 10.0.0.1
    ["2001::1", "Teredo tunnel"],
    ["not an address", "not an IP address"],
    ["127.1", "not an IP address"], // only a URL's parser may expand short forms; see below
  ])("%s is refused as %s", (address, kind) => {
    expect(privateKind(address)).toBe(kind);
  });

  it.each([
    "8.8.8.8",
    "93.184.215.14",
    "1.1.1.1",
    "172.32.0.1",
    "100.128.0.1",
    "::ffff:8.8.8.8",
    "2606:4700:4700::1111",
    "64:ff9b::808:808",
    "2002:808:808::1",
  ])("%s is public", (address) => {
    expect(privateKind(address)).toBeNull();
  });
});

describe("URL hosts: the WHATWG parser normalises every IPv4 spelling before the guard sees it", () => {
  it.each([
    ["http://2130706433/", "127.0.0.1"],
    ["http://0177.0.0.1/", "127.0.0.1"],
    ["http://0x7f.1/", "127.0.0.1"],
    ["http://0x7f000001/", "127.0.0.1"],
    ["http://127.1/", "127.0.0.1"],
    ["http://0/", "0.0.0.0"],
    ["http://%31%32%37.0.0.1/", "127.0.0.1"],
    ["http://[::ffff:127.0.0.1]/", "::ffff:7f00:1"],
    ["http://[0:0:0:0:0:0:0:1]/", "::1"],
  ])("%s → %s, refused", (url, host) => {
    expect(hostOf(url)).toBe(host);
    expect(privateKind(hostOf(url))).not.toBeNull();
  });
});

describe("allow-list (OUTBOUND_ALLOW)", () => {
  it("parses CIDRs, single addresses and host names, and names a bad entry", () => {
    const r = parseAllowList(" 127.0.0.0/8, ::1 ,10.1.0.0/16,crm.corp.example,*.buyers.example, ");
    expect(r.ok && r.entries.map((e) => e.kind)).toEqual(["cidr", "cidr", "cidr", "host", "host"]);
    expect(parseAllowList("")).toEqual({ ok: true, entries: [] });
    expect(parseAllowList("10.0.0.0/33")).toMatchObject({ ok: false, error: expect.stringContaining("10.0.0.0/33") });
    expect(parseAllowList("10.0.0/8")).toMatchObject({ ok: false });
    expect(parseAllowList("127.1")).toMatchObject({ ok: false, error: expect.stringContaining('"127.1"') });
    expect(parseAllowList("bad host!")).toMatchObject({ ok: false });
    expect(() => outboundPolicy("10.0.0.0/99")).toThrow(/OUTBOUND_ALLOW: "10.0.0.0\/99"/);
  });

  it("lets addresses in allowed networks through, IPv4-mapped ones too, and names exactly or by subdomain", () => {
    const r = parseAllowList("127.0.0.0/8,::1,10.1.0.0/16,crm.corp.example,*.buyers.example");
    if (!r.ok) throw new Error(r.error);
    expect(addressAllowed("127.0.0.1", r.entries)).toBe(true);
    expect(addressAllowed("::ffff:127.0.0.1", r.entries)).toBe(true);
    expect(addressAllowed("::1", r.entries)).toBe(true);
    expect(addressAllowed("10.1.200.3", r.entries)).toBe(true);
    expect(addressAllowed("10.2.0.1", r.entries)).toBe(false);
    expect(addressAllowed("169.254.169.254", r.entries)).toBe(false);
    expect(hostAllowed("CRM.corp.example.", r.entries)).toBe(true);
    expect(hostAllowed("x.crm.corp.example", r.entries)).toBe(false);
    expect(hostAllowed("a.b.buyers.example", r.entries)).toBe(true);
    expect(hostAllowed("buyers.example", r.entries)).toBe(false);
  });

  it("treats localhost, *.localhost, *.local and *.internal as local names", () => {
    for (const n of ["localhost", "LOCALHOST.", "api.localhost", "printer.local", "metadata.google.internal"])
      expect(isLocalName(n)).toBe(true);
    for (const n of ["example.com", "localhost.example.com", "internal.example.com"])
      expect(isLocalName(n)).toBe(false);
  });
});

/** A resolver that answers from a table; anything else does not resolve. */
const table =
  (answers: Record<string, string[]>): Resolver =>
  async (h) => {
    const a = answers[h];
    if (!a) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${h}`), { code: "ENOTFOUND" });
    return a.map((address): LookupAddress => ({ address, family: address.includes(":") ? 6 : 4 }));
  };

describe("checkOutboundUrl (save time)", () => {
  const strict = outboundPolicy(
    "",
    table({
      "crm.example.com": ["93.184.215.14"],
      "mixed.example.com": ["93.184.215.14", "10.0.0.7"],
      "loop.example.com": ["::1"],
    }),
  );

  it.each([
    "http://127.0.0.1:5432/",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/",
    "http://localhost/",
    "http://2130706433/",
    "http://0177.0.0.1/",
    "http://0x7f.1/",
    "http://127.1/",
    "http://0.0.0.0/",
    "http://[::]/",
    "http://[::ffff:127.0.0.1]/",
    "http://10.0.0.1/",
    "http://172.16.5.4/",
    "http://192.168.0.10/",
    "http://100.64.0.1/",
    "http://[fc00::1]/",
    "http://[fe80::1]/",
    "http://224.0.0.1/",
    "http://metadata.google.internal/computeMetadata/v1/",
    "http://printer.local/",
    "http://api.localhost/",
    "http://loop.example.com/",
    "http://mixed.example.com/",
  ])("refuses %s with a field message", async (url) => {
    const msg = await checkOutboundUrl(url, strict, "The webhook URL");
    expect(msg).toMatch(/^The webhook URL/);
    expect(msg).toMatch(/a private address|a name for this machine/);
  });

  it("says the address and why", async () => {
    expect(await checkOutboundUrl("http://2130706433/hook", strict, "The webhook URL")).toBe(
      "The webhook URL points at 127.0.0.1, a private address (loopback); leads are only sent to public addresses (OUTBOUND_ALLOW lets a private network through).",
    );
    expect(await checkOutboundUrl("http://mixed.example.com/", strict, "The ping URL")).toContain(
      '"mixed.example.com" resolves to 10.0.0.7, a private address (private network)',
    );
  });

  it("refuses a name that does not resolve, saying so", async () => {
    expect(await checkOutboundUrl("https://nowhere.example.com/hook", strict, "The webhook URL")).toBe(
      'The webhook URL: "nowhere.example.com" does not resolve (no DNS record); check the spelling.',
    );
  });

  it("says when DNS fails or does not answer, rather than saving a URL it could not check", async () => {
    const down = outboundPolicy("", async () => {
      throw Object.assign(new Error("getaddrinfo EAI_AGAIN crm.example.com"), { code: "EAI_AGAIN" });
    });
    expect(await checkOutboundUrl("https://crm.example.com/", down, "The webhook URL")).toBe(
      'The webhook URL: "crm.example.com" could not be looked up just now (EAI_AGAIN); try again.',
    );
    vi.useFakeTimers();
    try {
      const silent = outboundPolicy("", () => new Promise<never>(() => {}));
      const pending = checkOutboundUrl("https://crm.example.com/", silent, "The webhook URL");
      await vi.advanceTimersByTimeAsync(5_000);
      expect(await pending).toBe(
        'The webhook URL: "crm.example.com" could not be looked up just now (ETIMEOUT); try again.',
      );
    } finally {
      vi.useRealTimers();
    }
  });

  it("accepts public addresses and names that resolve to them", async () => {
    expect(await checkOutboundUrl("https://crm.example.com/hook", strict)).toBeNull();
    expect(await checkOutboundUrl("http://93.184.215.14:8080/x", strict)).toBeNull();
    expect(await checkOutboundUrl("http://[2606:4700:4700::1111]/x", strict)).toBeNull();
  });

  it("lets the allow-list through: networks, and names without a lookup", async () => {
    const allow = outboundPolicy("127.0.0.0/8,::1,metadata.google.internal", table({ "loop.example.com": ["::1"] }));
    expect(await checkOutboundUrl("http://127.0.0.1:4100/x", allow)).toBeNull();
    expect(await checkOutboundUrl("http://[::1]/x", allow)).toBeNull();
    expect(await checkOutboundUrl("http://loop.example.com/x", allow)).toBeNull();
    expect(await checkOutboundUrl("http://metadata.google.internal/x", allow)).toBeNull();
    expect(await checkOutboundUrl("http://10.0.0.1/x", allow)).toMatch(/private network/);
    expect(await checkOutboundUrl("http://localhost/x", allow)).toMatch(/local/);
  });
});

describe("connect time: a real listener on loopback counts what reaches it", () => {
  let server: Server;
  let port = 0;
  let hits = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      hits++;
      req.resume();
      req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}'));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await closeBuyerAgent();
    await new Promise((r) => server.close(r));
  });

  const post = (policy: Parameters<typeof postJson>[0], url: string) =>
    postJson(policy, url, "{}", AbortSignal.timeout(10_000));

  it("refuses 127.0.0.1 in the URL with the strict default, and nothing arrives", async () => {
    const before = hits;
    const err = await post(undefined, `http://127.0.0.1:${port}/hook`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutboundRefused);
    expect((err as Error).message).toBe("refused: address 127.0.0.1 is private (loopback)");
    await expect(post(STRICT_OUTBOUND, `http://2130706433:${port}/hook`)).rejects.toThrow(
      "refused: address 127.0.0.1 is private",
    );
    expect(hits).toBe(before);
  });

  it("refuses a name that resolves to 127.0.0.1 when the socket connects, and nothing arrives", async () => {
    const before = hits;
    const policy = outboundPolicy("", testResolve); // *.test → 127.0.0.1
    await expect(post(policy, `http://buyer.rebind.test:${port}/hook`)).rejects.toThrow(
      "refused: address 127.0.0.1 is private (loopback), resolved from buyer.rebind.test",
    );
    await expect(post(policy, `http://localhost:${port}/hook`)).rejects.toThrow(
      /refused: "localhost" is a name for this machine/,
    );
    expect(hits).toBe(before);
  });

  it("DNS rebinding: public when saved, loopback when connected: refused at connect", async () => {
    let asked = 0;
    const rebinding: Resolver = async () => [{ address: asked++ === 0 ? "93.184.215.14" : "127.0.0.1", family: 4 }];
    const policy = outboundPolicy("", rebinding);
    expect(await checkOutboundUrl(`http://rebind.example.com:${port}/hook`, policy)).toBeNull();
    const before = hits;
    await expect(post(policy, `http://rebind.example.com:${port}/hook`)).rejects.toThrow(
      "refused: address 127.0.0.1 is private (loopback)",
    );
    expect(hits).toBe(before);
  });

  it("refuses when any resolved address is private, even if another is public", async () => {
    const policy = outboundPolicy("", async () => [
      { address: "127.0.0.1", family: 4 },
      { address: "93.184.215.14", family: 4 },
    ]);
    const before = hits;
    await expect(post(policy, `http://two.example.com:${port}/hook`)).rejects.toThrow(
      "refused: address 127.0.0.1 is private",
    );
    expect(hits).toBe(before);
  });

  it("lets loopback through when the allow-list names it (by network, or the host by name)", async () => {
    const before = hits;
    const byNet = outboundPolicy("127.0.0.0/8,::1", testResolve);
    expect((await post(byNet, `http://127.0.0.1:${port}/hook`)).status).toBe(200);
    expect((await post(byNet, `http://buyer.rebind.test:${port}/hook`)).status).toBe(200);
    const byName = outboundPolicy("crm.corp.test", testResolve);
    expect((await post(byName, `http://crm.corp.test:${port}/hook`)).status).toBe(200);
    await expect(post(byName, `http://other.corp.test:${port}/hook`)).rejects.toThrow(/refused/);
    expect(hits).toBe(before + 3);
  });
});
