// A local fake of the litigator list for tests, on loopback, speaking the lookup shape of
// blacklist-alliance.ts (GET /lookup/single/<phone>, X-API-Key). Which numbers are listed is the
// test's choice; a number in `slow` never gets an answer, one in `boom` gets a 503. Every request
// is kept for the test to count.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeLitigator {
  url: string;
  seen: { path: string; key: string | undefined }[];
  /** 10-digit numbers → the feed codes they are listed under. */
  listed: Map<string, string>;
  slow: Set<string>;
  boom: Set<string>;
  close(): Promise<void>;
}

export async function startFakeLitigator(apiKey: string): Promise<FakeLitigator> {
  const fake: Omit<FakeLitigator, "url" | "close"> = { seen: [], listed: new Map(), slow: new Set(), boom: new Set() };
  const server: Server = createServer((req, res) => {
    const key = req.headers["x-api-key"] as string | undefined;
    fake.seen.push({ path: req.url ?? "", key });
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    const m = /^\/lookup\/single\/(\d+)$/.exec(req.url ?? "");
    if (req.method !== "GET" || !m) return send(404, { status: "error", message: "Not found" });
    if (key !== apiKey) return send(401, { status: "error", message: "Invalid API key" });
    const phone = m[1]!;
    if (fake.slow.has(phone)) return; // no answer until the client gives up
    if (fake.boom.has(phone)) return send(503, { status: "error", message: "Service unavailable" });
    const code = fake.listed.get(phone);
    send(200, {
      sid: `s-${fake.seen.length}`,
      status: "success",
      message: code ? "Blacklisted" : "Good",
      code: code ?? "",
      code_level: code ? 30 : 0,
      phone,
      wireless: 1,
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    ...fake,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
