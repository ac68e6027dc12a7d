// Local fakes of the consent providers for tests, on loopback, speaking their documented shapes:
// TrustedForm's certificate API v4 (POST /<cert id>, basic auth "API:<key>", JSON operations) and
// Jornaya's Authenticate (GET /Authenticate?lac=&id=). How a fake answers is chosen by the cert id
// or token: "good…" succeeds, "nomatch…" fails the lead match, "gone…" is unknown/expired,
// "boom…" answers 500, "slow…" never answers. Every request is kept for the test to read.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface SeenRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface FakeProvider {
  url: string;
  seen: SeenRequest[];
  close(): Promise<void>;
}

async function serve(answer: (req: SeenRequest) => { status: number; body: unknown } | null): Promise<FakeProvider> {
  const seen: SeenRequest[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      const r: SeenRequest = { method: req.method ?? "", path: req.url ?? "", headers: req.headers, body };
      seen.push(r);
      const a = answer(r);
      if (!a) return; // "slow": no answer until the client gives up
      res.writeHead(a.status, { "content-type": "application/json" });
      res.end(JSON.stringify(a.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** TrustedForm v4: the key it accepts is `apiKey`. */
export function startFakeTrustedForm(apiKey: string, expiresAt = "2031-03-02T16:00:00Z"): Promise<FakeProvider> {
  return serve((req) => {
    const id = req.path.slice(1);
    if (req.method !== "POST") return { status: 405, body: { message: "use POST" } };
    if (req.headers.authorization !== `Basic ${Buffer.from(`API:${apiKey}`).toString("base64")}`)
      return { status: 401, body: { message: "Unauthorized" } };
    if (id.startsWith("slow")) return null;
    if (id.startsWith("boom")) return { status: 502, body: { message: "Bad gateway" } };
    if (id.startsWith("gone"))
      return { status: 404, body: { outcome: "failure", reason: "Certificate not found or expired" } };
    const ops = JSON.parse(req.body || "{}") as {
      match_lead?: { email?: string; phone?: string };
      retain?: { reference?: string; vendor?: string };
      verify?: { advertiser_name?: string };
    };
    const matches = !id.startsWith("nomatch");
    const named = ops.verify?.advertiser_name;
    return {
      status: 200,
      body: {
        outcome: matches ? "success" : "failure",
        ...(matches ? {} : { reason: "Lead data does not match the certificate" }),
        match_lead: {
          request: ops.match_lead,
          result: { success: matches, email_match: ops.match_lead?.email ? matches : null, phone_match: matches },
        },
        ...(matches
          ? { retain: { request: ops.retain, results: { expires_at: expiresAt, previously_retained: false } } }
          : {}),
        ...(named ? { verify: { result: { success: true, one_to_one: !named.startsWith("Unnamed") } } } : {}),
        insights: { properties: { page_url: "https://quotes.example.com/roofing?step=3" } },
      },
    };
  });
}

/** Jornaya Authenticate for account `accountCode`: every answer is a 200, as the provider's are. */
export function startFakeJornaya(accountCode: string): Promise<FakeProvider> {
  return serve((req) => {
    const url = new URL(req.path, "http://x");
    if (req.method !== "GET" || url.pathname !== "/Authenticate") return { status: 404, body: {} };
    const token = url.searchParams.get("id") ?? "";
    if (token.startsWith("slow")) return null;
    if (token.startsWith("boom")) return { status: 503, body: { message: "unavailable" } };
    const transid = "t-1";
    if (url.searchParams.get("lac") !== accountCode)
      return { status: 200, body: { audit: { authentic: 0, reason: 4, token }, transid } };
    if (token.startsWith("gone")) return { status: 200, body: { audit: { authentic: 0, reason: 3, token }, transid } };
    return { status: 200, body: { audit: { authentic: 1, token }, transid } };
  });
}
