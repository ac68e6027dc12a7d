// DATABASE_AUCTION_POOL_SIZE: the auction's own pool is one connection a core (2 to 8) unless set;
// 0 shares the main pool; anything else that is not a whole number is refused, naming the setting.
import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import { defaultAuctionPool, loadConfig } from "./config";

describe("DATABASE_AUCTION_POOL_SIZE", () => {
  it("is this machine's cores, at least 2 and at most 8, unless set", () => {
    const cores = availableParallelism();
    expect(defaultAuctionPool()).toBe(Math.min(8, Math.max(2, cores)));
    expect(loadConfig({}).DATABASE_AUCTION_POOL_SIZE).toBe(defaultAuctionPool());
    expect(loadConfig({ DATABASE_AUCTION_POOL_SIZE: "3" }).DATABASE_AUCTION_POOL_SIZE).toBe(3);
    expect(loadConfig({ DATABASE_AUCTION_POOL_SIZE: "0" }).DATABASE_AUCTION_POOL_SIZE).toBe(0);
  });

  it("refuses a size that is not a whole number from 0 to 500", () => {
    for (const bad of ["-1", "1.5", "501", "many"])
      expect(() => loadConfig({ DATABASE_AUCTION_POOL_SIZE: bad }), bad).toThrow(/DATABASE_AUCTION_POOL_SIZE/);
  });
});
