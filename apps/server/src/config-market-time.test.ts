// MARKET_TIME_SCALE: routing windows faster than real time on staging and demos, refused in
// production and refused when it is not a whole number from 1 to 3600, naming the setting.
import { describe, expect, it } from "vitest";
import { loadConfig } from "./config";

describe("MARKET_TIME_SCALE", () => {
  it("is 1 (real time) unless set, and takes a whole number outside production", () => {
    expect(loadConfig({}).MARKET_TIME_SCALE).toBe(1);
    expect(loadConfig({ MARKET_TIME_SCALE: "60" }).MARKET_TIME_SCALE).toBe(60);
    expect(loadConfig({ MARKET_TIME_SCALE: "3600", NODE_ENV: "staging" }).MARKET_TIME_SCALE).toBe(3600);
  });

  it("refuses a scale that is not a whole number from 1 to 3600", () => {
    for (const bad of ["0", "1.5", "3601", "fast"])
      expect(() => loadConfig({ MARKET_TIME_SCALE: bad }), bad).toThrow(/MARKET_TIME_SCALE/);
  });

  it("refuses any scale but 1 in production", () => {
    expect(() => loadConfig({ NODE_ENV: "production", MARKET_TIME_SCALE: "60" })).toThrow(
      /MARKET_TIME_SCALE: MARKET_TIME_SCALE is for staging and demos/,
    );
  });
});
