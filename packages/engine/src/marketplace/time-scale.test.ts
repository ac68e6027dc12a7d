import { describe, expect, it } from "vitest";
import { DEFAULT_ROUTING_CONFIG, scaleRoutingWindows } from "./routing-config";

describe("scaleRoutingWindows (MARKET_TIME_SCALE)", () => {
  it("shortens every window by the scale and leaves the phase sizes", () => {
    expect(scaleRoutingWindows({ ...DEFAULT_ROUTING_CONFIG }, 60)).toEqual({
      ...DEFAULT_ROUTING_CONFIG,
      exclusiveWindowMinutes: 0.25,
      tierExpansionWindowMinutes: 0.5,
      broadcastWindowMinutes: 2,
    });
    const same = { ...DEFAULT_ROUTING_CONFIG };
    expect(scaleRoutingWindows(same, 1)).toBe(same);
  });

  it("refuses a scale outside 1-3600 or not whole", () => {
    for (const bad of [0, -1, 1.5, 3601, Number.NaN])
      expect(() => scaleRoutingWindows({ ...DEFAULT_ROUTING_CONFIG }, bad), String(bad)).toThrow(RangeError);
  });
});
