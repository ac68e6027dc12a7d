/**
 * Request templates: a network's ping and post spoken in its own API (JSON, form-urlencoded or
 * XML, its own field names, value maps, defaults, static fields, header auth). Pure: a template
 * and a lead give the exact { contentType, body, headers } the service sends, and the dashboard's
 * preview shows. Bodies are built by serialisers (JSON.stringify, URLSearchParams, fast-xml-parser's
 * XMLBuilder), never by joining strings, so a lead's `<`, `&`, quotes or newlines arrive intact.
 * No template: exactly today's JSON bodies (wire.ts).
 */
import { XMLBuilder, type XmlBuilderOptions } from "fast-xml-parser";
import { buildPingBody, buildPostBody, type WireLead } from "./wire";

export const REQUEST_FORMATS = ["JSON", "FORM", "XML"] as const;
export type RequestFormat = (typeof REQUEST_FORMATS)[number];

export const AUTH_KINDS = ["BEARER", "BASIC", "HEADER"] as const;
export type AuthKind = (typeof AUTH_KINDS)[number];

export const REQUEST_KINDS = ["ping", "post"] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

/** Lead fields a ping may carry: never contact details (a network learns who only once it buys). */
export const PING_SOURCES = [
  "pingId",
  "leadId",
  "vertical",
  "zip",
  "state",
  "consent.trustedFormCertUrl",
  "consent.jornayaLeadId",
] as const;
/** Lead fields only the post (the sale) carries. */
export const POST_ONLY_SOURCES = [
  "bidCents",
  "bidDollars",
  "contact.firstName",
  "contact.lastName",
  "contact.email",
  "contact.phone",
  "contact.address",
  "contact.city",
] as const;
/** A seller's custom field is `fields.<its name>` (names as intake allows them). */
export const CUSTOM_SOURCE_PREFIX = "fields.";
const CUSTOM_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

export type TemplateValue = string | number | boolean;

export interface TemplateField {
  /** The buyer's name for it. In JSON and XML a dot nests ("applicant.first_name"). */
  name: string;
  /** A LeadFlow lead field (PING_SOURCES, POST_ONLY_SOURCES, fields.<custom>); absent: static. */
  source?: string | undefined;
  /** A static value (the buyer's own constants: a campaign id, a source code). */
  value?: TemplateValue | undefined;
  /** Sent when the lead has no value for the source. Without one, the field is left out. */
  default?: TemplateValue | undefined;
  /** The lead's value (as text) → the buyer's value, e.g. { "TX": "Texas" }; others pass as they are. */
  map?: Record<string, string> | undefined;
}

export interface BodyTemplate {
  format: RequestFormat;
  /** XML only: the root element (default "lead"). */
  root?: string | undefined;
  fields: TemplateField[];
}

export interface RequestAuth {
  kind: AuthKind;
  /** BASIC: the user name (the stored secret is the password). */
  username?: string | undefined;
  /** HEADER: the header's name (the stored secret is its value). */
  header?: string | undefined;
}

/** Null or absent parts keep today's default (LeadFlow's JSON body, no auth). */
export interface RequestTemplate {
  ping?: BodyTemplate | null | undefined;
  post?: BodyTemplate | null | undefined;
  auth?: RequestAuth | null | undefined;
}

export interface BuiltRequest {
  contentType: string;
  body: string;
  /** Headers besides content-type: the auth header when there is one. */
  headers: Record<string, string>;
}

export interface RequestContext {
  lead: WireLead;
  pingId: string;
  /** The post's price; absent for a ping. */
  bidCents?: number | undefined;
}

export const DEFAULT_XML_ROOT = "lead";
export const CONTENT_TYPES: Record<RequestFormat, string> = {
  JSON: "application/json",
  FORM: "application/x-www-form-urlencoded",
  XML: "application/xml; charset=utf-8",
};

/** Shown in place of a secret anywhere a person reads a request (the preview, exports). */
export const REDACTED = "[redacted]";

export interface TemplateProblem {
  path: (string | number)[];
  message: string;
}

/** Why `source` cannot be used in a `kind` request, or null when it can. */
export function sourceProblem(source: string, kind: RequestKind): string | null {
  if ((PING_SOURCES as readonly string[]).includes(source)) return null;
  if ((POST_ONLY_SOURCES as readonly string[]).includes(source)) {
    if (kind === "post") return null;
    return source.startsWith("bid")
      ? `${source} is known only at the post: a ping asks for the bid.`
      : `${source} is not sent in a ping: a network learns who the person is only once it buys the lead.`;
  }
  if (source.startsWith(CUSTOM_SOURCE_PREFIX)) {
    const name = source.slice(CUSTOM_SOURCE_PREFIX.length);
    return CUSTOM_NAME.test(name) ? null : `"${source}": a custom field's name is 1-64 of A-Z a-z 0-9 _ . -`;
  }
  return `"${source}" is not a lead field. Use one of ${[...PING_SOURCES, ...POST_ONLY_SOURCES].join(", ")} or fields.<custom field>.`;
}

// An XML name segment; dots separate nesting, so none inside. "xml…" names are reserved by XML.
const XML_SEGMENT = /^[A-Za-z_][A-Za-z0-9_-]{0,99}$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;
const RESERVED_HEADERS = new Set([
  "content-type",
  "content-length",
  "host",
  "connection",
  "transfer-encoding",
  "webhook-id",
  "webhook-timestamp",
  "webhook-signature",
]);

/**
 * Every problem with a body template (names, sources, clashes), each on the field to fix. The zod
 * schema in the api calls it, and the dashboard's preview shows the same words before a save.
 */
export function bodyTemplateProblems(t: BodyTemplate, kind: RequestKind): TemplateProblem[] {
  const out: TemplateProblem[] = [];
  const nests = t.format !== "FORM";
  if (t.format === "XML" && t.root !== undefined && !validXmlSegment(t.root)) {
    out.push({ path: ["root"], message: `"${t.root}" can't be an XML element name (letters, digits, _ and -).` });
  }
  const seen = new Map<string, number>();
  t.fields.forEach((f, i) => {
    const at = (k: string) => ["fields", i, k];
    const segs = nests ? f.name.split(".") : [f.name];
    if (f.name.length === 0) out.push({ path: at("name"), message: "Give the buyer's field name." });
    else if (nests && segs.some((s) => s.length === 0))
      out.push({ path: at("name"), message: `"${f.name}": a dot separates nested names; none may be empty.` });
    else if (t.format === "XML" && !segs.every(validXmlSegment))
      out.push({
        path: at("name"),
        message: `"${f.name}" can't be an XML element name (letters, digits, _ and -, not starting with a digit or "xml").`,
      });
    const first = seen.get(f.name);
    if (first !== undefined)
      out.push({ path: at("name"), message: `"${f.name}" is listed twice (also row ${first + 1}).` });
    else seen.set(f.name, i);
    if (f.source !== undefined) {
      const p = sourceProblem(f.source, kind);
      if (p) out.push({ path: at("source"), message: p });
      if (f.value !== undefined)
        out.push({ path: at("value"), message: "A field takes either a lead field or a static value, not both." });
    } else if (f.value === undefined) {
      out.push({ path: at("source"), message: "Choose a lead field or give a static value." });
    }
  });
  if (nests) {
    // "a" and "a.b" cannot both exist: a would be a value and an object at once.
    const names = [...seen.keys()];
    t.fields.forEach((f, i) => {
      const clash = names.find((n) => n !== f.name && n.startsWith(`${f.name}.`));
      if (clash) out.push({ path: ["fields", i, "name"], message: `"${f.name}" is also the parent of "${clash}".` });
    });
  }
  return out;
}

export function authProblems(a: RequestAuth): TemplateProblem[] {
  const out: TemplateProblem[] = [];
  if (a.kind === "BASIC" && (!a.username || a.username.includes(":")))
    out.push({ path: ["username"], message: "Basic auth needs a user name without a colon." });
  if (a.kind === "HEADER") {
    if (!a.header || !HEADER_NAME.test(a.header))
      out.push({ path: ["header"], message: 'Give the header\'s name, e.g. "X-Api-Key".' });
    else if (RESERVED_HEADERS.has(a.header.toLowerCase()))
      out.push({ path: ["header"], message: `${a.header} is set by LeadFlow itself; choose another header.` });
  }
  return out;
}

/** A secret that can go in a header: printable, no line breaks. */
export function authSecretProblem(secret: string): string | null {
  if (secret.length === 0) return "Enter the secret the buyer gave you.";
  if (secret.length > 1000) return "The secret can be at most 1000 characters.";
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(secret)) return "The secret can't contain line breaks or control characters.";
  return null;
}

function validXmlSegment(s: string): boolean {
  return XML_SEGMENT.test(s) && !s.toLowerCase().startsWith("xml");
}

/** The lead's value for a source; undefined when the lead has none. */
export function sourceValue(source: string, ctx: RequestContext): TemplateValue | null | undefined {
  const { lead } = ctx;
  if (source.startsWith(CUSTOM_SOURCE_PREFIX)) {
    const v = lead.fields?.[source.slice(CUSTOM_SOURCE_PREFIX.length)];
    return typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? v : undefined;
  }
  if (source.startsWith("contact.") || source.startsWith("consent.")) {
    const [group, key] = source.split(".") as ["contact" | "consent", string];
    const v = (lead[group] as Record<string, unknown>)[key];
    return typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? v : undefined;
  }
  switch (source) {
    case "pingId":
      return ctx.pingId;
    case "leadId":
      return lead.id;
    case "vertical":
      return lead.vertical;
    case "zip":
      return lead.zip;
    case "state":
      return lead.state ?? undefined;
    case "bidCents":
      return ctx.bidCents;
    case "bidDollars":
      return ctx.bidCents === undefined ? undefined : (ctx.bidCents / 100).toFixed(2);
    default:
      return undefined;
  }
}

/** The (name, value) pairs of a body, in the template's order; empty sources without default left out. */
export function templateValues(t: BodyTemplate, ctx: RequestContext): [string, TemplateValue][] {
  const out: [string, TemplateValue][] = [];
  for (const f of t.fields) {
    let v: TemplateValue | null | undefined = f.source === undefined ? f.value : sourceValue(f.source, ctx);
    if (v === null || v === undefined || v === "") v = f.default;
    if (v === undefined) continue;
    if (f.map && Object.prototype.hasOwnProperty.call(f.map, String(v))) v = f.map[String(v)]!;
    out.push([f.name, v]);
  }
  return out;
}

/** Characters XML 1.0 cannot carry at all (most control characters, lone surrogates, U+FFFE/F). */
const NOT_XML =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** A value as XML text can carry it: characters XML 1.0 forbids are dropped (nothing else changes). */
export function xmlSafe(s: string): string {
  return s.replace(NOT_XML, "");
}

// `entities` is the builder's own escape table (fast-xml-builder's defaults, read in its source);
// its typings leave it out. template.test.ts checks a CR comes out as &#13;.
let builder: XMLBuilder | undefined;
// Made on first use, so a bundle that never renders XML (the dashboard's other pages) drops it.
const xmlBuilder = (): XMLBuilder =>
  (builder ??= new XMLBuilder({
    processEntities: true,
    // The library's escapes, plus CR as a character reference: a conforming parser turns a literal
    // CR (or CRLF) into LF, so only &#13; brings a lead's CR back as it was.
    entities: [
      { regex: /&/g, val: "&amp;" },
      { regex: />/g, val: "&gt;" },
      { regex: /</g, val: "&lt;" },
      { regex: /'/g, val: "&apos;" },
      { regex: /"/g, val: "&quot;" },
      { regex: /\r/g, val: "&#13;" },
    ],
    suppressEmptyNode: false,
  } as XmlBuilderOptions));

function nest(pairs: readonly [string, TemplateValue][], split: boolean, text: (v: TemplateValue) => unknown) {
  // No prototype: a buyer's field named "__proto__" is a field like any other.
  const root = Object.create(null) as Record<string, unknown>;
  for (const [name, v] of pairs) {
    const segs = split ? name.split(".") : [name];
    let cur = root;
    for (const s of segs.slice(0, -1)) {
      const next = cur[s];
      cur = (next !== null && typeof next === "object" ? next : (cur[s] = Object.create(null))) as Record<
        string,
        unknown
      >;
    }
    cur[segs[segs.length - 1]!] = text(v);
  }
  return root;
}

/** A body template and a request's context → the body, as the buyer's parser will read it. */
export function renderBody(t: BodyTemplate, ctx: RequestContext): string {
  const pairs = templateValues(t, ctx);
  if (t.format === "JSON") return JSON.stringify(nest(pairs, true, (v) => v));
  if (t.format === "FORM")
    return new URLSearchParams(pairs.map(([k, v]): [string, string] => [k, String(v)])).toString();
  const doc = { [t.root ?? DEFAULT_XML_ROOT]: nest(pairs, true, (v) => xmlSafe(String(v))) };
  return `<?xml version="1.0" encoding="UTF-8"?>${xmlBuilder().build(doc) as string}`;
}

function base64(text: string): string {
  let bin = "";
  for (const b of new TextEncoder().encode(text)) bin += String.fromCharCode(b);
  return btoa(bin);
}

/** The auth header for a secret (pass REDACTED to show a request without the secret). */
export function authHeaders(
  auth: RequestAuth | null | undefined,
  secret: string | null | undefined,
): Record<string, string> {
  if (!auth || !secret) return {};
  if (auth.kind === "BEARER") return { authorization: `Bearer ${secret}` };
  if (auth.kind === "BASIC")
    return {
      authorization: secret === REDACTED ? `Basic ${REDACTED}` : `Basic ${base64(`${auth.username ?? ""}:${secret}`)}`,
    };
  return auth.header ? { [auth.header.toLowerCase()]: secret } : {};
}

/**
 * What LeadFlow sends a buyer for a ping or a post: the template's body (or today's JSON body when
 * the buyer has none for this request) and the auth header made from the stored secret.
 */
export function buildBuyerRequest(
  template: RequestTemplate | null | undefined,
  kind: RequestKind,
  ctx: RequestContext,
  secret?: string | null,
): BuiltRequest {
  const body = template?.[kind];
  const headers = authHeaders(template?.auth, secret);
  if (!body) {
    const json =
      kind === "ping"
        ? JSON.stringify(buildPingBody(ctx.lead, ctx.pingId))
        : JSON.stringify(buildPostBody(ctx.lead, ctx.pingId, ctx.bidCents ?? 0));
    return { contentType: CONTENT_TYPES.JSON, body: json, headers };
  }
  return { contentType: CONTENT_TYPES[body.format], body: renderBody(body, ctx), headers };
}

/** A lead to preview templates with: every field set, with text that breaks naive templating. */
export const SAMPLE_LEAD: WireLead = {
  id: "00000000-0000-4000-8000-000000000001",
  vertical: "roofing",
  zip: "75001",
  state: "TX",
  fields: { roofType: "shingle", homeowner: true, squareFeet: 2100 },
  contact: {
    firstName: "Ann & <Bo>",
    lastName: `O'Neil "Jr"`,
    email: "ann@example.com",
    phone: "2145550100",
    address: "1 Main St\nApt 2",
    city: "Addison",
  },
  consent: { trustedFormCertUrl: "https://cert.trustedform.com/abc123" },
};
