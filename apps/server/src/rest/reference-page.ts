// The API reference page (GET /api/v1/docs): the OpenAPI document rendered on the server as one
// HTML page with an inline stylesheet and no script, readable on a phone (no tables, long names
// wrap) and from a screen reader (landmarks, one h1, headings in order). Everything on it comes
// from the document; nothing is loaded from elsewhere.
import type { OpenApiDocument } from "./openapi";

type Json = Record<string, unknown>;

const esc = (s: unknown) =>
  String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
const code = (s: unknown) => `<code>${esc(s)}</code>`;
const refName = (ref: string) => ref.split("/").pop()!;
const schemaLink = (ref: string) => `<a href="#schema-${esc(refName(ref))}">${esc(refName(ref))}</a>`;
const anchor = (method: string, path: string) =>
  `op-${method}-${path
    .replace(/^\/api\/v1\//, "")
    .replace(/[{}]/g, "")
    .replace(/[^A-Za-z0-9]+/g, "-")}`;

/** A short type: "string", "integer or null", "one of A, B", a link to a named schema, "array of …". */
function typeOf(s: Json | undefined): string {
  if (!s || Object.keys(s).length === 0) return "any JSON";
  if (typeof s.$ref === "string") return schemaLink(s.$ref);
  if (Array.isArray(s.anyOf)) return (s.anyOf as Json[]).map(typeOf).join(" or ");
  if (Array.isArray(s.enum)) return `one of ${(s.enum as unknown[]).map(code).join(", ")}`;
  if (s.const !== undefined) return code(JSON.stringify(s.const));
  const types = Array.isArray(s.type) ? (s.type as string[]) : s.type ? [s.type as string] : [];
  return types
    .map((t) => {
      if (t === "array") return `array of ${typeOf(s.items as Json)}`;
      if (t === "object" && s.additionalProperties && typeof s.additionalProperties === "object" && !s.properties)
        return `object: name → ${typeOf(s.additionalProperties as Json)}`;
      if (t === "string" && typeof s.format === "string") return `string (${esc(s.format)})`;
      return esc(t);
    })
    .join(" or ");
}

/** The rules a schema states besides its type, in words. */
function rules(s: Json): string[] {
  const out: string[] = [];
  if (s.minLength !== undefined || s.maxLength !== undefined)
    out.push(`${s.minLength ?? 0}–${s.maxLength ?? "∞"} characters`);
  if (typeof s.pattern === "string" && s.format === undefined) out.push(`matches ${code(s.pattern)}`);
  if (typeof s.minimum === "number") out.push(`≥ ${s.minimum}`);
  if (typeof s.maximum === "number" && s.maximum < Number.MAX_SAFE_INTEGER) out.push(`≤ ${s.maximum}`);
  if (s.default !== undefined) out.push(`default ${code(JSON.stringify(s.default))}`);
  if (s.propertyNames && typeof s.propertyNames === "object") {
    const p = (s.propertyNames as Json).pattern;
    if (typeof p === "string") out.push(`names match ${code(p)}`);
  }
  if (s.additionalProperties === false && s.properties) out.push("no other fields");
  return out;
}

/** Each field of an object schema, nested objects flattened to dotted paths. */
function fields(s: Json, prefix = "", out: string[] = []): string[] {
  const props = (s.properties ?? {}) as Record<string, Json>;
  const required = new Set((s.required ?? []) as string[]);
  for (const [name, p] of Object.entries(props)) {
    const path = `${prefix}${name}`;
    const nested = p.type === "object" && p.properties ? p : null;
    const words = [typeof p.description === "string" ? esc(p.description) : "", ...rules(p)].filter(Boolean);
    out.push(
      `<li>${code(path)} <span class="type">${nested ? "object" : typeOf(p)}</span>${
        required.has(name) ? ' <span class="req">required</span>' : ""
      }${words.length ? `<br>${words.join(" · ")}` : ""}</li>`,
    );
    if (nested) fields(nested, `${path}.`, out);
    else if (p.type === "array" && (p.items as Json | undefined)?.properties)
      fields(p.items as Json, `${path}[].`, out);
  }
  return out;
}

function schemaBlock(s: Json | undefined): string {
  if (!s) return "";
  if (typeof s.$ref === "string") return `<p>${schemaLink(s.$ref)}</p>`;
  if (s.properties) {
    const extra = rules(s).filter((r) => r !== "no other fields");
    return `<ul class="fields">${fields(s).join("")}</ul>${s.additionalProperties === false ? "<p>Other fields are refused.</p>" : ""}${
      extra.length ? `<p>${extra.join(" · ")}</p>` : ""
    }`;
  }
  return `<p>${typeOf(s)}</p>`;
}

const jsonSchemaOf = (x: unknown) =>
  ((x as Json | undefined)?.content as Record<string, { schema?: Json }> | undefined)?.["application/json"]?.schema;

function operation(method: string, path: string, op: Json): string {
  const params = (op.parameters ?? []) as Json[];
  const body = op.requestBody as Json | undefined;
  const responses = Object.entries((op.responses ?? {}) as Record<string, Json>).sort(([a], [b]) => a.localeCompare(b));
  const parts = [
    `<section class="op" id="${anchor(method, path)}" aria-labelledby="${anchor(method, path)}-h">`,
    `<h3 id="${anchor(method, path)}-h"><span class="method">${esc(method.toUpperCase())}</span> ${code(path)}</h3>`,
    `<p class="summary">${esc(op.summary ?? "")}</p>`,
    op.description ? `<p>${esc(op.description)}</p>` : "",
  ];
  if (params.length) {
    parts.push('<h4>Parameters</h4><ul class="fields">');
    for (const p of params) {
      const s = (p.schema ?? {}) as Json;
      const words = [typeof s.description === "string" ? esc(s.description) : "", ...rules(s)].filter(Boolean);
      parts.push(
        `<li>${code(p.name)} <span class="type">${typeOf(s)}</span> in ${esc(p.in)}${p.required ? ' <span class="req">required</span>' : ""}${
          words.length ? `<br>${words.join(" · ")}` : ""
        }</li>`,
      );
    }
    parts.push("</ul>");
  }
  if (body) parts.push(`<h4>Request body (JSON)</h4>${schemaBlock(jsonSchemaOf(body))}`);
  parts.push('<h4>Responses</h4><ul class="responses">');
  for (const [status, r] of responses) {
    const s = jsonSchemaOf(r);
    const errorCodes = ((s?.properties as Record<string, Json> | undefined)?.error?.enum ?? null) as string[] | null;
    const shape = errorCodes
      ? ` <a href="#schema-Error">Error</a> with <code>error</code> ${errorCodes.map(code).join(" or ")}`
      : s
        ? ` ${typeOf(s)}`
        : "";
    const headers = Object.keys((r.headers ?? {}) as Json);
    parts.push(
      `<li><strong>${esc(status)}</strong>${shape}<br>${esc(r.description ?? "")}${
        headers.length ? ` Header: ${headers.map(code).join(", ")}.` : ""
      }</li>`,
    );
  }
  parts.push("</ul></section>");
  return parts.join("");
}

const STYLE = `
:root{color-scheme:light;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#fff}
body{margin:0 auto;max-width:60rem;padding:1rem}
a{color:#0b57d0}a:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}
code{font:0.9em/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f1f3f4;padding:0 .2em;border-radius:3px;overflow-wrap:anywhere;word-break:break-word}
h1{font-size:1.6rem;margin:.5rem 0}h2{font-size:1.3rem;margin-top:2rem;border-bottom:1px solid #ccc}h3{font-size:1.1rem;overflow-wrap:anywhere}h4{font-size:1rem;margin-bottom:.25rem}
.method{display:inline-block;min-width:3.2rem;text-align:center;font-size:.8rem;font-weight:700;color:#fff;background:#2f5d2f;border-radius:4px;padding:0 .3rem;margin-right:.3rem}
.op{border:1px solid #ddd;border-radius:6px;padding:0 1rem 1rem;margin:1rem 0}
.summary{font-weight:600}
ul.fields,ul.responses{padding-left:1.1rem}ul.fields li,ul.responses li{margin:.35rem 0;overflow-wrap:anywhere}
.type{color:#4a4a4a}.req{font-size:.8rem;font-weight:700;color:#8a1c1c}
nav ul{padding-left:1.1rem}p,li{overflow-wrap:anywhere}
`;

export function renderReferencePage(doc: OpenApiDocument): string {
  const d = doc as unknown as Json;
  const info = (d.info ?? {}) as Json;
  const servers = (d.servers ?? []) as Json[];
  const tags = (d.tags ?? []) as Json[];
  const paths = (d.paths ?? {}) as Record<string, Record<string, Json>>;
  const components = (d.components ?? {}) as Json;
  const schemes = (components.securitySchemes ?? {}) as Record<string, Json>;
  const schemas = (components.schemas ?? {}) as Record<string, Json>;
  const ops: { method: string; path: string; op: Json; tag: string }[] = [];
  for (const [path, item] of Object.entries(paths))
    for (const [method, op] of Object.entries(item))
      ops.push({ method, path, op, tag: ((op.tags as string[] | undefined) ?? ["Other"])[0]! });
  const toc = tags
    .map(
      (t) =>
        `<li>${esc(t.name)}<ul>${ops
          .filter((o) => o.tag === t.name)
          .map(
            (o) =>
              `<li><a href="#${anchor(o.method, o.path)}">${esc(o.method.toUpperCase())} ${esc(o.path)}</a>: ${esc(o.op.summary ?? "")}</li>`,
          )
          .join("")}</ul></li>`,
    )
    .join("");
  const body = [
    `<header><h1>${esc(info.title)}</h1><p>${esc(info.description ?? "")}</p>`,
    `<p>Base URL: ${servers.map((s) => code(s.url)).join(", ")}. The machine-readable contract: <a href="openapi.json">openapi.json</a> (OpenAPI ${esc(d.openapi)}); generate a client from it, or validate your requests against it.</p></header>`,
    `<nav aria-labelledby="toc-h"><h2 id="toc-h">Operations</h2><ul>${toc}</ul><p><a href="#auth-h">Authentication</a> · <a href="#schemas-h">Schemas</a></p></nav>`,
    "<main>",
    `<section aria-labelledby="auth-h"><h2 id="auth-h">Authentication</h2><p>Every operation takes either of these:</p><ul>${Object.entries(
      schemes,
    )
      .map(([name, s]) => `<li><strong>${esc(name)}</strong>: ${esc(s.description ?? "")}</li>`)
      .join("")}</ul></section>`,
    ...tags.map(
      (t) =>
        `<section aria-labelledby="tag-${esc(t.name)}"><h2 id="tag-${esc(t.name)}">${esc(t.name)}</h2><p>${esc(t.description ?? "")}</p>${ops
          .filter((o) => o.tag === t.name)
          .map((o) => operation(o.method, o.path, o.op))
          .join("")}</section>`,
    ),
    `<section aria-labelledby="schemas-h"><h2 id="schemas-h">Schemas</h2>${Object.entries(schemas)
      .map(
        ([name, s]) =>
          `<section id="schema-${esc(name)}" aria-labelledby="schema-${esc(name)}-h"><h3 id="schema-${esc(name)}-h">${esc(name)}</h3>${
            typeof s.description === "string" ? `<p>${esc(s.description)}</p>` : ""
          }${schemaBlock(s)}</section>`,
      )
      .join("")}</section>`,
    "</main>",
  ].join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(info.title)}: reference</title>
<style>${STYLE}</style>
</head>
<body>
${body}
</body>
</html>
`;
}
