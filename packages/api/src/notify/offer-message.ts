// The words of an offer's message, the same facts on every channel.
import { formatCents } from "@leadflow/engine";
import { createElement as h } from "react";
import type { OfferMessage } from "./channels";
import type * as ReactDomServer from "react-dom/server";
import { lazyRequire } from "../lazy-require";

// Loaded on the first message drawn, not at start-up (lazy-require.ts).
const reactDomServer = lazyRequire<typeof ReactDomServer>("react-dom/server");

export interface OfferFacts {
  djName: string;
  eventType: string;
  city: string;
  eventDate: string;
  budgetMinCents: number | null;
  budgetMaxCents: number | null;
  windowEndsAt: Date;
  timeZone: string;
  url: string;
}

function localTime(at: Date, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat("en-US", {
      timeZone,
      hour: "numeric",
      minute: "2-digit",
      timeZoneName: "short",
    }).format(at);
  } catch {
    return `${at.toISOString().slice(11, 16)} UTC`;
  }
}

export function offerMessage(f: OfferFacts): OfferMessage {
  const what = `${f.eventType.replace(/_/g, " ")} in ${f.city} on ${f.eventDate}`;
  const budget =
    f.budgetMinCents != null && f.budgetMaxCents != null
      ? `${formatCents(f.budgetMinCents)}–${formatCents(f.budgetMaxCents)}`
      : f.budgetMaxCents != null
        ? `up to ${formatCents(f.budgetMaxCents)}`
        : "not given";
  const by = localTime(f.windowEndsAt, f.timeZone);
  const short = `New lead: ${what}, budget ${budget}. Answer by ${by}: ${f.url}`;
  const text = [
    `Hi ${f.djName},`,
    "",
    `You have a new lead: a ${what}, budget ${budget}.`,
    `It is yours to answer until ${by}.`,
    "",
    `Open it (sign in if asked): ${f.url}`,
    "",
    "You get this because offers by email are on in your notification settings.",
  ].join("\n");
  const html = reactDomServer().renderToStaticMarkup(
    h(
      "div",
      null,
      h("p", null, `Hi ${f.djName},`),
      h("p", null, `You have a new lead: a ${what}, budget ${budget}. It is yours to answer until ${by}.`),
      h("p", null, h("a", { href: f.url }, "Open the offer")),
      h("p", null, "You get this because offers by email are on in your notification settings."),
    ),
  );
  return { subject: `New lead: ${what}`, text, html, short, url: f.url };
}
