import { describe, expect, it } from "vitest";
import { DEFAULT_ROUTING_CONFIG, routingConfigForCity, validateCityWindows } from "./routing-config";

describe("validateCityWindows", () => {
  it("keeps valid overrides under the city's lower-case name", () => {
    expect(validateCityWindows({ " Staging Town ": { exclusiveWindowMinutes: 1, broadcastWindowMinutes: 3 } })).toEqual(
      {
        ok: true,
        value: { "staging town": { exclusiveWindowMinutes: 1, broadcastWindowMinutes: 3 } },
      },
    );
    expect(validateCityWindows(null)).toEqual({ ok: true, value: {} });
  });

  it("names every bad field: bounds, unknown windows, empty overrides, duplicates, non-objects", () => {
    const res = validateCityWindows({
      A: { exclusiveWindowMinutes: 0, maxBroadcastDJs: 3 },
      B: {},
      b: { tierExpansionWindowMinutes: 5 },
      C: 7,
      D: { broadcastWindowMinutes: 1.5 },
    });
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.errors.map((e) => e.field).sort()).toEqual([
      "A.exclusiveWindowMinutes",
      "A.maxBroadcastDJs",
      "B",
      "C",
      "D.broadcastWindowMinutes",
      "b",
    ]);
    expect(validateCityWindows([]).ok).toBe(false);
    expect(validateCityWindows({ ["x".repeat(101)]: { exclusiveWindowMinutes: 2 } }).ok).toBe(false);
  });
});

describe("routingConfigForCity", () => {
  it("applies only the city's own windows, matching the city without case or spaces", () => {
    const windows = { "staging town": { exclusiveWindowMinutes: 1 } };
    expect(routingConfigForCity(DEFAULT_ROUTING_CONFIG, windows, "Staging Town ")).toEqual({
      ...DEFAULT_ROUTING_CONFIG,
      exclusiveWindowMinutes: 1,
    });
    expect(routingConfigForCity(DEFAULT_ROUTING_CONFIG, windows, "Elsewhere")).toEqual(DEFAULT_ROUTING_CONFIG);
    // An inherited name is no city's override.
    expect(routingConfigForCity(DEFAULT_ROUTING_CONFIG, windows, "constructor")).toEqual(DEFAULT_ROUTING_CONFIG);
  });
});
