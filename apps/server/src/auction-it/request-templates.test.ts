// Request templates over real HTTP on real PostgreSQL: three networks, each with its own format
// (XML, form, JSON), names, value maps, static fields and header auth, behind a local buyer
// server that parses what it gets with stock parsers. A lead whose text would break naive
// templating (<, &, quotes, CR/LF) arrives intact in every ping and post; the auth header arrives;
// the secret is never shown back, recorded or logged; the templated JSON buyer bids, wins and
// gets the post. A buyer without a template still receives exactly today's bytes.
import {
  closeBuyerAgent,
  createLead,
  getBuyer,
  parseIntake,
  requestTemplateInput,
  runAuction,
  setRequestTemplate,
} from "@leadflow/api";
import { buildPingBody, buildPostBody, type RequestTemplate } from "@leadflow/engine";
import { XMLParser } from "fast-xml-parser";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../log";
import { addNetwork, leadBody, makeWorld, txOf, type World } from "./world";

interface Received {
  path: string;
  contentType: string;
  headers: IncomingHttpHeaders;
  raw: string;
  parsed: Record<string, unknown>;
}

const xml = new XMLParser({
  trimValues: false,
  parseTagValue: false,
  processEntities: true,
  htmlEntities: true,
  ignoreDeclaration: true,
});

/** A buyer that reads each format the way its own stack would, and bids per path. */
function buyerServer(answers: Record<string, { bid: number; accept: boolean }>) {
  const got: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const contentType = req.headers["content-type"] ?? "";
      const parsed = contentType.startsWith("application/json")
        ? (JSON.parse(raw) as Record<string, unknown>)
        : contentType.startsWith("application/x-www-form-urlencoded")
          ? Object.fromEntries(new URLSearchParams(raw))
          : contentType.startsWith("application/xml")
            ? (xml.parse(raw) as Record<string, unknown>)
            : {};
      const path = req.url ?? "";
      got.push({ path, contentType, headers: req.headers, raw, parsed });
      const [, who, kind] = path.split("/");
      const a = answers[who!]!;
      res.setHeader("content-type", "application/json");
      res.end(
        JSON.stringify(
          kind === "ping" ? { bid: a.bid } : { accepted: a.accept, reason: a.accept ? "ok" : "not today" },
        ),
      );
    });
  });
  return { server, got };
}

const HOSTILE = {
  firstName: `Ann & <Bo> "Q"`,
  lastName: "O'Neil\r\nJr",
  address: "1 Main St\nApt <2> & ]]>",
  note: `a&b<c>"d'e\r\n]]><!-- x --> %26 + = ?`,
};
const SECRETS = { xml: "s3cr&t:pw €", form: "k-123<>", json: "tok.abc/def" };

let w: World;
let srv: Server;
let got: Received[];
let base: string;
const logLines: string[] = [];

beforeAll(async () => {
  w = await makeWorld({});
  const log = createLogger(
    "debug",
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        logLines.push(chunk.toString("utf8"));
        cb();
      },
    }),
  );
  w.s = { ...w.s, log };
  const b = buyerServer({
    xml: { bid: 40, accept: false },
    form: { bid: 30, accept: false },
    json: { bid: 20, accept: true },
    plain: { bid: 10, accept: true },
  });
  srv = b.server;
  got = b.got;
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const addr = srv.address();
  base = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
});
afterAll(async () => {
  await closeBuyerAgent();
  await new Promise((r) => srv?.close(r));
  await w?.close();
});

const templates: Record<"xml" | "form" | "json", RequestTemplate> = {
  xml: {
    ping: {
      format: "XML",
      root: "PingRequest",
      fields: [
        { name: "Lead.Zip", source: "zip" },
        { name: "Lead.State", source: "state", map: { TX: "Texas" } },
        { name: "Lead.Note", source: "fields.note" },
        { name: "Lead.Roof", source: "fields.roofType", default: "unknown" },
        { name: "Campaign", value: "C-7 & <co>" },
      ],
    },
    post: {
      format: "XML",
      root: "PostRequest",
      fields: [
        { name: "Ref", source: "pingId" },
        { name: "Contact.First", source: "contact.firstName" },
        { name: "Contact.Last", source: "contact.lastName" },
        { name: "Contact.Street", source: "contact.address" },
        { name: "Price", source: "bidDollars" },
        { name: "Note", source: "fields.note" },
      ],
    },
    auth: { kind: "BASIC", username: "acme" },
  },
  form: {
    ping: {
      format: "FORM",
      fields: [
        { name: "zip_code", source: "zip" },
        { name: "st", source: "state" },
        { name: "note", source: "fields.note" },
      ],
    },
    post: {
      format: "FORM",
      fields: [
        { name: "lead[first]", source: "contact.firstName" },
        { name: "lead[last]", source: "contact.lastName" },
        { name: "address", source: "contact.address" },
        { name: "price_cents", source: "bidCents" },
      ],
    },
    auth: { kind: "HEADER", header: "X-Api-Key" },
  },
  json: {
    ping: {
      format: "JSON",
      fields: [
        { name: "lead.zip", source: "zip" },
        { name: "lead.note", source: "fields.note" },
        { name: "source", value: "leadflow" },
        { name: "test", value: false },
      ],
    },
    post: {
      format: "JSON",
      fields: [
        { name: "ping_id", source: "pingId" },
        { name: "person.first", source: "contact.firstName" },
        { name: "person.last", source: "contact.lastName" },
        { name: "person.street", source: "contact.address" },
        { name: "price", source: "bidCents" },
      ],
    },
    auth: { kind: "BEARER" },
  },
};

describe("request templates over HTTP", () => {
  it("pings and posts in each buyer's format with hostile text intact, auth arriving, the templated buyer winning", async () => {
    const ids: Record<string, string> = {};
    for (const who of ["xml", "form", "json", "plain"] as const) {
      ids[who] = await addNetwork(w, who, { pingUrl: `${base}/${who}/ping`, postUrl: `${base}/${who}/post` });
      if (who === "plain") continue;
      // Through the same validation as the dashboard's save.
      const input = requestTemplateInput.parse({
        id: ids[who],
        requestTemplate: templates[who],
        requestAuthSecret: SECRETS[who],
      });
      const saved = await setRequestTemplate(w.s.db, w.clock, null, input);
      expect(saved.buyer.hasRequestAuthSecret).toBe(true);
      expect(JSON.stringify(saved.buyer)).not.toContain(SECRETS[who]);
      expect(JSON.stringify(await getBuyer(w.s.db, ids[who], null))).not.toContain(SECRETS[who]);
    }

    const body = leadBody({
      contact: {
        ...leadBody().contact,
        firstName: HOSTILE.firstName,
        lastName: HOSTILE.lastName,
        address: HOSTILE.address,
      },
      customFields: { note: HOSTILE.note },
    });
    const { id } = await createLead(w.s, w.sellerOrgId, parseIntake(body));
    const run = await runAuction(w.s, id);
    expect(run.outcome?.status).toBe("SOLD");

    const at = (p: string) => got.find((g) => g.path === p)!;
    // XML: ping and post, names nested, TX → Texas, the default, the static field, basic auth.
    const xp = at("/xml/ping");
    expect(xp.contentType).toBe("application/xml; charset=utf-8");
    expect(xp.parsed).toEqual({
      PingRequest: {
        Lead: { Zip: "75201", State: "Texas", Note: HOSTILE.note, Roof: "unknown" },
        Campaign: "C-7 & <co>",
      },
    });
    expect(Buffer.from(xp.headers.authorization!.replace(/^Basic /, ""), "base64").toString("utf8")).toBe(
      `acme:${SECRETS.xml}`,
    );
    const xpost = at("/xml/post").parsed.PostRequest as Record<string, unknown>;
    expect(xpost.Contact).toEqual({ First: HOSTILE.firstName, Last: HOSTILE.lastName, Street: HOSTILE.address });
    expect(xpost.Price).toBe("40.00");
    expect(xpost.Note).toBe(HOSTILE.note);

    // Form: the buyer's names (brackets and all), a custom auth header.
    expect(at("/form/ping").parsed).toEqual({ zip_code: "75201", st: "TX", note: HOSTILE.note });
    expect(at("/form/ping").headers["x-api-key"]).toBe(SECRETS.form);
    expect(at("/form/post").parsed).toEqual({
      "lead[first]": HOSTILE.firstName,
      "lead[last]": HOSTILE.lastName,
      address: HOSTILE.address,
      price_cents: "3000",
    });

    // JSON: nested names, types kept, bearer auth; it won (the two above refused the post).
    const jp = at("/json/ping");
    expect(jp.parsed).toEqual({ lead: { zip: "75201", note: HOSTILE.note }, source: "leadflow", test: false });
    expect(jp.headers.authorization).toBe(`Bearer ${SECRETS.json}`);
    const jpost = at("/json/post").parsed;
    expect(jpost).toMatchObject({
      person: { first: HOSTILE.firstName, last: HOSTILE.lastName, street: HOSTILE.address },
      price: 2000,
    });
    // The post names the ping it follows (the id the JSON ping got is the buyer's own).
    expect(typeof jpost.ping_id).toBe("string");

    // No template: exactly today's body, as JSON, and no auth header.
    const plain = at("/plain/ping");
    expect(plain.contentType).toBe("application/json");
    expect(plain.headers.authorization).toBeUndefined();
    const sentPing = JSON.parse(plain.raw) as { pingId: string; leadId: string };
    const tx = await txOf(w, id);
    const wire = {
      id,
      vertical: "roofing",
      zip: "75201",
      state: "TX",
      fields: { note: HOSTILE.note },
      contact: body.contact,
      consent: body.consent,
    };
    expect(plain.raw).toBe(JSON.stringify(buildPingBody(wire, sentPing.pingId)));
    expect(buildPostBody(wire, sentPing.pingId, 1).leadId).toBe(id);

    expect(tx.get(ids.json!)).toMatchObject({ isWinner: true, priceCents: 2000, cascadePosition: 3 });
    expect(tx.get(ids.xml!)).toMatchObject({ isWinner: false, lostReason: "POST_REJECTED" });
    expect(tx.get(ids.form!)).toMatchObject({ isWinner: false, lostReason: "POST_REJECTED" });
    expect(tx.get(ids.plain!)).toMatchObject({ isWinner: false, lostReason: "OUTBID" });
    // The transaction keeps the body as sent (the buyer's XML), never the auth header.
    expect(tx.get(ids.xml!)!.request).toBe(xp.raw);
    const everything = JSON.stringify([...tx.values()]) + logLines.join("");
    for (const s of Object.values(SECRETS)) expect(everything).not.toContain(s);
    expect(logLines.length).toBeGreaterThan(0);
  });

  it("refuses an unknown lead field by name, contact details in a ping, and auth without a secret; nothing is written", async () => {
    const id = await addNetwork(w, "refused", { pingUrl: `${base}/json/ping`, postUrl: `${base}/json/post` });
    const bad = requestTemplateInput.safeParse({
      id,
      requestTemplate: {
        ping: { format: "JSON", fields: [{ name: "first", source: "contact.firstName" }] },
        post: { format: "XML", fields: [{ name: "x", source: "contact.favouriteColour" }] },
      },
    });
    expect(bad.success).toBe(false);
    const messages = bad.error!.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    expect(
      messages.some((m) => m.startsWith("requestTemplate.ping.fields.0.source:") && m.includes("not sent in a ping")),
    ).toBe(true);
    expect(messages.some((m) => m.includes('"contact.favouriteColour" is not a lead field'))).toBe(true);

    const noSecret = requestTemplateInput.parse({ id, requestTemplate: { auth: { kind: "BEARER" } } });
    await expect(setRequestTemplate(w.s.db, w.clock, null, noSecret)).rejects.toMatchObject({
      fieldErrors: { requestAuthSecret: [expect.stringContaining("BEARER auth needs its secret")] },
    });
    expect((await getBuyer(w.s.db, id, null)).requestTemplate).toBeNull();
  });
});
