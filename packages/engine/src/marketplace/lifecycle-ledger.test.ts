import { describe, expect, it } from "vitest";
import { MARKET_LEAD_STATES, ROUTING_PHASES, TERMINAL_MARKET_LEAD_STATES, type MarketLeadState } from "./enums";
import {
  assertLeadTransition,
  canTransitionLeadState,
  isTerminalLeadState,
  LEAD_STATE_TRANSITIONS,
} from "./lead-lifecycle";
import { applyLedgerEntry } from "./ledger";

describe("lead lifecycle", () => {
  it("has exactly two terminal states and nothing leaves them", () => {
    expect(MARKET_LEAD_STATES.filter(isTerminalLeadState)).toEqual([...TERMINAL_MARKET_LEAD_STATES]);
    for (const s of TERMINAL_MARKET_LEAD_STATES) expect(LEAD_STATE_TRANSITIONS[s]).toEqual([]);
  });

  it("reaches a terminal state from every state", () => {
    for (const start of MARKET_LEAD_STATES) {
      const seen = new Set<MarketLeadState>([start]);
      const queue: MarketLeadState[] = [start];
      while (queue.length) {
        for (const n of LEAD_STATE_TRANSITIONS[queue.shift()!]) {
          if (!seen.has(n)) {
            seen.add(n);
            queue.push(n);
          }
        }
      }
      expect([...seen].some(isTerminalLeadState), start).toBe(true);
    }
  });

  it("every routing phase is a lead state and routing can close at any point before conversion", () => {
    for (const p of ROUTING_PHASES) expect(MARKET_LEAD_STATES).toContain(p);
    for (const s of MARKET_LEAD_STATES)
      if (!isTerminalLeadState(s)) expect(canTransitionLeadState(s, "closed")).toBe(true);
  });

  it("refuses moves the table does not list", () => {
    expect(canTransitionLeadState("broadcast", "exclusive")).toBe(false);
    expect(() => assertLeadTransition("converted", "closed")).toThrow(
      expect.objectContaining({ code: "INVALID_TRANSITION" }),
    );
    expect(() => assertLeadTransition("exclusive", "accepted")).not.toThrow();
  });
});

describe("applyLedgerEntry", () => {
  it("adds grants, purchases and refunds, subtracts unlocks", () => {
    expect(applyLedgerEntry(0, "grant", 5)).toBe(5);
    expect(applyLedgerEntry(5, "purchase", 10)).toBe(15);
    expect(applyLedgerEntry(1, "unlock", 1)).toBe(0);
    expect(applyLedgerEntry(0, "refund", 1)).toBe(1);
  });
  it("never goes below zero and takes only whole positive credits", () => {
    expect(() => applyLedgerEntry(0, "unlock", 1)).toThrow(expect.objectContaining({ code: "INSUFFICIENT_CREDITS" }));
    expect(() => applyLedgerEntry(5, "grant", 0)).toThrow(/whole number/);
    expect(() => applyLedgerEntry(5, "grant", 1.5)).toThrow(/whole number/);
  });
});
