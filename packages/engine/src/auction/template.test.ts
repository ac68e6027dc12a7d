import fc from "fast-check";
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import {
  authHeaders,
  authProblems,
  bodyTemplateProblems,
  buildBuyerRequest,
  REDACTED,
  renderBody,
  SAMPLE_LEAD,
  xmlSafe,
  type BodyTemplate,
  type RequestFormat,
} from "./template";
import { buildPingBody, buildPostBody, type WireLead } from "./wire";

/** How a buyer reads each format: its own stock parser, nothing of ours. */
const xml = new XMLParser({
  trimValues: false,
  parseTagValue: false,
  processEntities: true,
  htmlEntities: true,
  ignoreDeclaration: true,
});
function buyerParse(format: RequestFormat, body: string): Record<string, unknown> {
  if (format === "JSON") return JSON.parse(body) as Record<string, unknown>;
  if (format === "FORM") return Object.fromEntries(new URLSearchParams(body));
  return (xml.parse(body) as { lead: Record<string, unknown> }).lead;
}

const hostileChar = fc.oneof(
  fc.constantFrom(
    "<",
    ">",
    "&",
    "'",
    '"',
    "\n",
    "\r",
    "\r\n",
    "\t",
    "]]>",
    "&amp;",
    "&#13;",
    "=",
    "+",
    "%",
    "?",
    "#",
    " ",
    "\u0000",
    "\u2028",
    "😀",
  ),
  fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
);
const hostile = fc.string({ unit: hostileChar, minLength: 1, maxLength: 40 });

const lead = (firstName: string, lastName: string, note: string): WireLead => ({
  ...SAMPLE_LEAD,
  contact: { ...SAMPLE_LEAD.contact, firstName, lastName },
  fields: { note },
});

const postTemplate = (format: RequestFormat, tag: string): BodyTemplate => ({
  format,
  fields: [
    { name: "first_name", source: "contact.firstName" },
    { name: "last_name", source: "contact.lastName" },
    { name: "note", source: "fields.note" },
    { name: "tag", value: tag },
  ],
});

describe("request templates", () => {
  it("without a template, sends exactly today's bytes (ping and post)", () => {
    const ping = buildBuyerRequest(null, "ping", { lead: SAMPLE_LEAD, pingId: "p-1" });
    expect(ping).toEqual({
      contentType: "application/json",
      body: JSON.stringify(buildPingBody(SAMPLE_LEAD, "p-1")),
      headers: {},
    });
    const post = buildBuyerRequest({ ping: null, post: null }, "post", {
      lead: SAMPLE_LEAD,
      pingId: "p-1",
      bidCents: 1250,
    });
    expect(post.body).toBe(JSON.stringify(buildPostBody(SAMPLE_LEAD, "p-1", 1250)));
    expect(post.contentType).toBe("application/json");
  });

  for (const format of ["JSON", "FORM", "XML"] as const) {
    it(`${format}: the buyer's parser gives back hostile text as it was (property)`, () => {
      fc.assert(
        fc.property(hostile, hostile, hostile, hostile, (first, last, note, tag) => {
          const r = buildBuyerRequest({ post: postTemplate(format, tag) }, "post", {
            lead: lead(first, last, note),
            pingId: "p",
            bidCents: 1,
          });
          const got = buyerParse(format, r.body);
          // XML 1.0 cannot carry most control characters at all; they are the only change.
          const want = (s: string) => (format === "XML" ? xmlSafe(s) : s);
          expect(got).toEqual({ first_name: want(first), last_name: want(last), note: want(note), tag: want(tag) });
        }),
        { numRuns: 300 },
      );
    });
  }

  it("maps values, fills defaults, adds static fields and nests dotted names", () => {
    const t: BodyTemplate = {
      format: "JSON",
      fields: [
        { name: "lead.state", source: "state", map: { TX: "Texas" } },
        { name: "lead.city", source: "contact.city" },
        { name: "lead.roof", source: "fields.missing", default: "unknown" },
        { name: "gone", source: "fields.absent" },
        { name: "campaign", value: 42 },
        { name: "price", source: "bidDollars" },
        { name: "__proto__", value: "kept" },
      ],
    };
    const body = JSON.parse(renderBody(t, { lead: SAMPLE_LEAD, pingId: "p", bidCents: 1250 })) as Record<
      string,
      unknown
    >;
    expect(body.lead).toEqual({ state: "Texas", city: "Addison", roof: "unknown" });
    expect(body.campaign).toBe(42);
    expect(body.price).toBe("12.50");
    expect(Object.prototype.hasOwnProperty.call(body, "gone")).toBe(false);
    expect(Object.getOwnPropertyDescriptor(body, "__proto__")?.value).toBe("kept");
  });

  it("XML: a root element, nested elements, a declaration", () => {
    const body = renderBody(
      {
        format: "XML",
        root: "Request",
        fields: [
          { name: "Contact.First", source: "contact.firstName" },
          { name: "Zip", source: "zip" },
        ],
      },
      { lead: SAMPLE_LEAD, pingId: "p" },
    );
    expect(body).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Request><Contact><First>Ann &amp; &lt;Bo&gt;</First></Contact><Zip>75001</Zip></Request>',
    );
  });

  it("XML: a CR travels as &#13; (a conforming parser would turn a literal CR into LF)", () => {
    const body = renderBody(
      { format: "XML", fields: [{ name: "a", value: "x\r\ny" }] },
      { lead: SAMPLE_LEAD, pingId: "p" },
    );
    expect(body).toContain("<a>x&#13;\ny</a>");
  });

  it("refuses unknown lead fields, contact details in a ping, bad XML names and clashes, naming each", () => {
    const p = bodyTemplateProblems(
      {
        format: "XML",
        root: "1bad",
        fields: [
          { name: "a", source: "contact.firstNme" },
          { name: "b", source: "contact.email" },
          { name: "c", source: "bidCents" },
          { name: "xmlThing", value: "x" },
          { name: "d" },
          { name: "a.b", value: 1 },
        ],
      },
      "ping",
    );
    const at = (path: string) => p.filter((x) => x.path.join(".") === path).map((x) => x.message);
    expect(at("fields.0.source")[0]).toContain('"contact.firstNme" is not a lead field');
    expect(at("fields.1.source")[0]).toContain("not sent in a ping");
    expect(at("fields.2.source")[0]).toContain("only at the post");
    expect(at("fields.3.name")[0]).toContain("XML element name");
    expect(at("fields.4.source")[0]).toContain("static value");
    expect(at("fields.0.name")[0]).toContain('parent of "a.b"');
    expect(at("root")).toHaveLength(1);
    expect(bodyTemplateProblems(postTemplate("XML", "x"), "post")).toEqual([]);
  });

  it("auth: bearer, basic and a custom header; redacted for people", () => {
    expect(authHeaders({ kind: "BEARER" }, "t0k")).toEqual({ authorization: "Bearer t0k" });
    const basic = authHeaders({ kind: "BASIC", username: "acme" }, "pä:ss");
    expect(Buffer.from(basic.authorization!.slice(6), "base64").toString("utf8")).toBe("acme:pä:ss");
    expect(authHeaders({ kind: "HEADER", header: "X-Api-Key" }, "k")).toEqual({ "x-api-key": "k" });
    expect(authHeaders({ kind: "BASIC", username: "acme" }, REDACTED)).toEqual({ authorization: `Basic ${REDACTED}` });
    expect(authHeaders({ kind: "BEARER" }, null)).toEqual({});
    expect(authProblems({ kind: "HEADER", header: "Content-Type" })[0]?.message).toContain("set by LeadFlow");
    expect(authProblems({ kind: "BASIC", username: "a:b" })).toHaveLength(1);
  });
});
