/**
 * docs/lead-flow.mmd is living documentation: it must name every value of the engine's lists and
 * nothing else in their style. The convention: a value appears in the diagram as an exact
 * UPPER_CASE word (two or more capitals, digits or underscores); any such word outside comments
 * and Mermaid's direction keywords counts as naming a value. Prose is written in lower case.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { SELLER_VALUE_LISTS } from "../sellers/values";
import { AUCTION_VALUE_LISTS as AUCTION_ONLY } from "./values";

// The seller side (ping then post, payouts) is drawn in the same diagram, so its lists are checked too.
const AUCTION_VALUE_LISTS = { ...AUCTION_ONLY, ...SELLER_VALUE_LISTS };

const DIAGRAM = fileURLToPath(new URL("../../../../docs/lead-flow.mmd", import.meta.url));
const DIRECTIVES = /^\s*(flowchart|graph|direction)\s+(TB|TD|BT|RL|LR)\b/;
const VALUE_WORD = /(?<!\w)[A-Z][A-Z0-9_]*[A-Z0-9](?!\w)/g;

/** The UPPER_CASE words of a Mermaid text, comments and direction keywords left out. */
function diagramValues(mermaid: string): Set<string> {
  const words = new Set<string>();
  for (const raw of mermaid.split(/\r?\n/)) {
    const line = raw.replace(/%%.*$/, "").replace(DIRECTIVES, "");
    for (const m of line.matchAll(VALUE_WORD)) words.add(m[0]);
  }
  return words;
}

/** What the code has and the diagram lacks, and the other way round. */
function drift(mermaid: string, lists: Record<string, readonly string[]>) {
  const inDiagram = diagramValues(mermaid);
  const inCode = new Set(Object.values(lists).flat());
  const missing = Object.entries(lists).flatMap(([list, values]) =>
    values.filter((v) => !inDiagram.has(v)).map((v) => `${list}.${v}`),
  );
  const unknown = [...inDiagram].filter((w) => !inCode.has(w)).sort();
  return { missing, unknown };
}

describe("docs/lead-flow.mmd", () => {
  const mermaid = readFileSync(DIAGRAM, "utf8");

  it("names every lost reason, buyer type, delivery mode, pricing model, delivery method and the other auction values", () => {
    expect(drift(mermaid, AUCTION_VALUE_LISTS).missing).toEqual([]);
  });

  it("names no value the code lacks", () => {
    expect(drift(mermaid, AUCTION_VALUE_LISTS).unknown).toEqual([]);
  });

  it("is a Mermaid flowchart", () => {
    expect(mermaid.split("\n").find((l) => !l.startsWith("%%"))).toMatch(/^flowchart TD$/);
  });
});

describe("the drift check itself", () => {
  const lists = { LOST_REASONS: ["OUTBID", "NO_BID"], BUYER_TYPES: ["NETWORK"] };

  it("reads UPPER_CASE words only, skipping comments, directions, ids and mixed case", () => {
    const text =
      'flowchart LR\n%% COMMENTED\n  a["NETWORK lost: OUTBID · Outbid · phaseA · AUCTION-priced"] -->|"NO_BID"| bNode';
    expect([...diagramValues(text)].sort()).toEqual(["AUCTION", "NETWORK", "NO_BID", "OUTBID"]);
  });

  it("fails both ways: a value missing from the diagram, a word missing from the code", () => {
    const text = 'flowchart TD\n  a["NETWORK: OUTBID or TIMED_OUT"]';
    expect(drift(text, lists)).toEqual({ missing: ["LOST_REASONS.NO_BID"], unknown: ["TIMED_OUT"] });
  });
});
