// The request-template editor's form state ↔ the engine's RequestTemplate. The preview renders the
// template this produces, which is exactly what Save sends, so the preview is the real body.
import {
  CUSTOM_SOURCE_PREFIX,
  PING_SOURCES,
  POST_ONLY_SOURCES,
  type AuthKind,
  type BodyTemplate,
  type RequestFormat,
  type RequestKind,
  type RequestTemplate,
  type TemplateField,
} from "@leadflow/engine";

export type SourceKind = "lead" | "custom" | "static";

export interface RowForm {
  name: string;
  kind: SourceKind;
  /** kind "lead": one of the lead fields. */
  source: string;
  /** kind "custom": the seller's custom field name. */
  custom: string;
  /** kind "static": the value sent. */
  value: string;
  default: string;
  /** One "lead value=buyer value" per line. */
  map: string;
}

export interface BodyForm {
  format: "DEFAULT" | RequestFormat;
  root: string;
  rows: RowForm[];
}

export interface TemplateForm {
  ping: BodyForm;
  post: BodyForm;
  auth: "NONE" | AuthKind;
  username: string;
  header: string;
  /** Empty: keep the stored secret (if any). */
  secret: string;
}

export const leadSources = (kind: RequestKind): readonly string[] =>
  kind === "ping" ? PING_SOURCES : [...PING_SOURCES, ...POST_ONLY_SOURCES];

export const emptyRow = (kind: RequestKind): RowForm => ({
  name: "",
  kind: "lead",
  source: leadSources(kind)[0]!,
  custom: "",
  value: "",
  default: "",
  map: "",
});

function rowFrom(f: TemplateField): RowForm {
  const base = {
    name: f.name,
    default: f.default === undefined ? "" : String(f.default),
    custom: "",
    value: "",
    source: "",
  };
  const map = Object.entries(f.map ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join("\n");
  if (f.source === undefined) return { ...base, kind: "static", value: String(f.value ?? ""), map };
  if (f.source.startsWith(CUSTOM_SOURCE_PREFIX))
    return { ...base, kind: "custom", custom: f.source.slice(CUSTOM_SOURCE_PREFIX.length), map };
  return { ...base, kind: "lead", source: f.source, map };
}

function bodyFrom(t: BodyTemplate | null | undefined): BodyForm {
  if (!t) return { format: "DEFAULT", root: "", rows: [] };
  return { format: t.format, root: t.root ?? "", rows: t.fields.map(rowFrom) };
}

export function templateFormFrom(t: RequestTemplate | null | undefined): TemplateForm {
  return {
    ping: bodyFrom(t?.ping),
    post: bodyFrom(t?.post),
    auth: t?.auth?.kind ?? "NONE",
    username: t?.auth?.username ?? "",
    header: t?.auth?.header ?? "",
    secret: "",
  };
}

function parseMap(text: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    const at = line.indexOf("=");
    if (at < 0) out[line.trim()] = "";
    else out[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return Object.keys(out).length ? out : undefined;
}

function fieldFrom(r: RowForm): TemplateField {
  const f: TemplateField = { name: r.name.trim() };
  if (r.kind === "static") f.value = r.value;
  else f.source = r.kind === "custom" ? `${CUSTOM_SOURCE_PREFIX}${r.custom.trim()}` : r.source;
  if (r.kind !== "static" && r.default !== "") f.default = r.default;
  const map = parseMap(r.map);
  if (map) f.map = map;
  return f;
}

export function bodyTemplateOf(b: BodyForm): BodyTemplate | null {
  if (b.format === "DEFAULT") return null;
  const t: BodyTemplate = { format: b.format, fields: b.rows.map(fieldFrom) };
  if (b.format === "XML" && b.root.trim()) t.root = b.root.trim();
  return t;
}

/** The template Save sends (null: LeadFlow's own bodies, no auth). */
export function templateOf(f: TemplateForm): RequestTemplate | null {
  const ping = bodyTemplateOf(f.ping);
  const post = bodyTemplateOf(f.post);
  const auth =
    f.auth === "NONE"
      ? null
      : {
          kind: f.auth,
          ...(f.auth === "BASIC" ? { username: f.username.trim() } : {}),
          ...(f.auth === "HEADER" ? { header: f.header.trim() } : {}),
        };
  if (!ping && !post && !auth) return null;
  return { ping, post, auth };
}
