// The email a contractor gets for a lead it bought: an HTML part rendered by React
// (renderToStaticMarkup escapes every value, so a lead's name cannot inject markup) and a plain
// text part from the same facts. It carries what the webhook carries: contact, city, zip and
// state, the vertical's custom fields, the price, and a link to the lead in the dashboard.
import type { LeadRow } from "@leadflow/db";
import { formatCents } from "@leadflow/engine";
import { createElement as h, type ReactNode } from "react";
import type * as ReactDomServer from "react-dom/server";
import { lazyRequire } from "../lazy-require";

// Loaded on the first message drawn, not at start-up (lazy-require.ts).
const reactDomServer = lazyRequire<typeof ReactDomServer>("react-dom/server");

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

/** A custom field's value as one line of text (lists joined, objects as JSON). */
function show(v: unknown): string {
  if (v === null || v === undefined) return "";
  if (Array.isArray(v)) return v.map(show).join(", ");
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

/** "roof_age" → "Roof age". */
const label = (k: string) => {
  const words = k
    .replace(/[_-]+/g, " ")
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

export function leadEmail(lead: LeadRow, priceCents: number | null, publicUrl: string): RenderedMail {
  const c = lead.contact;
  const name = `${c.firstName} ${c.lastName}`.trim();
  const place = [c.city, `${lead.zip}${lead.state ? ` (${lead.state})` : ""}`].filter(Boolean).join(", ");
  const link = `${publicUrl.replace(/\/$/, "")}/leads/${lead.id}`;
  const rows: [string, string][] = [
    ["Name", name],
    ...(c.phone ? [["Phone", c.phone] as [string, string]] : []),
    ...(c.email ? [["Email", c.email] as [string, string]] : []),
    ...(c.address ? [["Address", c.address] as [string, string]] : []),
    ["Where", place],
    ...(priceCents ? [["Price", formatCents(priceCents)] as [string, string]] : []),
  ];
  const fields = Object.entries(lead.customFields ?? {})
    .map(([k, v]) => [label(k), show(v)] as [string, string])
    .filter(([, v]) => v !== "");
  const subject = `New ${lead.vertical} lead in ${c.city ? `${c.city} ` : ""}${lead.zip}`;

  const cell = { padding: "4px 12px 4px 0", verticalAlign: "top", textAlign: "left" } as const;
  const table = (caption: string, list: [string, string][]): ReactNode =>
    h(
      "table",
      { role: "presentation", style: { borderCollapse: "collapse", margin: "0 0 16px" } },
      h("caption", { style: { textAlign: "left", fontWeight: "bold", padding: "0 0 4px" } }, caption),
      h(
        "tbody",
        null,
        ...list.map(([k, v], i) =>
          h(
            "tr",
            { key: i },
            h("th", { style: { ...cell, fontWeight: "normal", color: "#555" } }, k),
            h("td", { style: cell }, v),
          ),
        ),
      ),
    );
  const body = h(
    "html",
    { lang: "en" },
    h("head", null, h("meta", { charSet: "utf-8" }), h("title", null, subject)),
    h(
      "body",
      { style: { fontFamily: "system-ui, -apple-system, Segoe UI, sans-serif", color: "#111", lineHeight: 1.5 } },
      h("h1", { style: { fontSize: "20px" } }, subject),
      table("Lead", rows),
      fields.length ? table("Details", fields) : null,
      h("p", null, h("a", { href: link }, "Open the lead in LeadFlow")),
    ),
  );
  const html = `<!doctype html>${reactDomServer().renderToStaticMarkup(body)}`;
  const text = [
    subject,
    "",
    ...rows.map(([k, v]) => `${k}: ${v}`),
    ...(fields.length ? ["", "Details", ...fields.map(([k, v]) => `${k}: ${v}`)] : []),
    "",
    `Open the lead: ${link}`,
  ].join("\n");
  return { subject, html, text };
}
