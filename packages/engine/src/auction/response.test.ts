import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  getPath,
  mapRejectionReason,
  parsePingResponse,
  parsePostResponse,
  postFailure,
  resolveMapping,
} from "./response";

describe("getPath and resolveMapping", () => {
  it("follows dot paths through objects and arrays", () => {
    const body = { data: { bids: [{ amount: 3 }] } };
    expect(getPath(body, "data.bids.0.amount")).toBe(3);
    expect(getPath(body, "data.missing.x")).toBeUndefined();
    expect(getPath(body, "data.bids.0.amount.toFixed")).toBeUndefined();
    expect(getPath({}, "constructor")).toBeUndefined(); // own properties only
  });
  it("fills a partial mapping with the defaults", () => {
    expect(resolveMapping({ bidPath: "price", bidUnit: undefined })).toEqual({
      bidPath: "price",
      acceptedPath: "accepted",
      reasonPath: "reason",
      bidUnit: "dollars",
    });
  });
});

describe("parsePingResponse", () => {
  it("reads the default { bid } in dollars", () => {
    expect(parsePingResponse(200, '{"bid": 12.5}')).toEqual({ outcome: "BID", bidCents: 1250 });
  });

  it("reads a mapped bid in cents, keeping a reason", () => {
    const mapping = { bidPath: "result.price", reasonPath: "result.note", bidUnit: "cents" as const };
    expect(parsePingResponse(200, '{"result":{"price":"875","note":"ok"}}', mapping)).toEqual({
      outcome: "BID",
      bidCents: 875,
      reason: "ok",
    });
  });

  it.each([
    ['{"bid": 0}', "bid of 0"],
    ['{"bid": null, "reason": "no coverage"}', "no coverage"],
    ['{"reason": "paused"}', "paused"],
    ['{"bid": false}', 'no bid at "bid"'],
    ['{"bid": "0.00"}', "bid of 0"],
  ])("%s is a NO_BID (%s)", (body, reason) => {
    expect(parsePingResponse(200, body)).toEqual({ outcome: "NO_BID", reason });
  });

  it("takes HTTP 204 as a NO_BID", () => {
    expect(parsePingResponse(204, "")).toEqual({ outcome: "NO_BID", reason: "HTTP 204 (no content)" });
  });

  it.each([
    [500, '{"bid": 10}', /HTTP 500/],
    [302, "", /HTTP 302/],
    [200, "<html>oops</html>", /malformed JSON/],
    [200, '{"bid": 1', /malformed JSON/],
    [200, "", /empty body/],
    [200, "[1,2]", /not a JSON object/],
    [200, "42", /not a JSON object/],
    [200, '{"bid": -3}', /negative/],
    [200, '{"bid": "abc"}', /not a decimal/],
    [200, '{"bid": 250000}', /absurd/],
    [200, '{"bid": true}', /not a number/],
    [200, '{"bid": {"amount": 5}}', /not a number/],
  ])("HTTP %i %s is an ERROR", (status, body, error) => {
    const r = parsePingResponse(status, body);
    expect(r.outcome).toBe("ERROR");
    if (r.outcome === "ERROR") expect(r.error).toMatch(error);
  });

  it("never throws, whatever the body", () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 599 }), fc.oneof(fc.string(), fc.json()), (status, body) => {
        const r = parsePingResponse(status, body);
        expect(["BID", "NO_BID", "ERROR"]).toContain(r.outcome);
        if (r.outcome === "BID") expect(Number.isSafeInteger(r.bidCents) && r.bidCents > 0).toBe(true);
      }),
    );
  });
});

describe("parsePostResponse", () => {
  it("accepts an explicit yes only", () => {
    expect(parsePostResponse(200, '{"accepted": true}')).toEqual({ accepted: true });
    expect(parsePostResponse(201, '{"status": "Success"}', { acceptedPath: "status" })).toEqual({ accepted: true });
    expect(parsePostResponse(200, '{"accepted": "yes"}').accepted).toBe(true);
    expect(parsePostResponse(200, '{"accepted": 1}').accepted).toBe(true);
  });

  it("maps the buyer's reason", () => {
    expect(parsePostResponse(200, '{"accepted": false, "reason": "duplicate"}')).toEqual({
      accepted: false,
      lostReason: "DUPLICATE_LEAD",
      rawReason: "duplicate",
    });
    expect(parsePostResponse(200, '{"accepted": false, "reason": "Daily cap reached"}').lostReason).toBe("CAP_REACHED");
  });

  it("rejects without a clear yes, saying why", () => {
    expect(parsePostResponse(200, '{"ok": true}')).toEqual({
      accepted: false,
      lostReason: "POST_REJECTED",
      rawReason: 'not accepted ("accepted" is missing)',
    });
    expect(parsePostResponse(200, '{"accepted": "maybe"}').accepted).toBe(false);
  });

  it("rejects a malformed body or an HTTP error, reading a reason when there is one", () => {
    expect(parsePostResponse(200, "<html>")).toMatchObject({
      accepted: false,
      lostReason: "POST_REJECTED",
      rawReason: expect.stringMatching(/malformed/),
    });
    expect(parsePostResponse(503, "")).toEqual({ accepted: false, lostReason: "POST_REJECTED", rawReason: "HTTP 503" });
    expect(parsePostResponse(409, '{"reason": "already have this lead"}')).toEqual({
      accepted: false,
      lostReason: "DUPLICATE_LEAD",
      rawReason: "HTTP 409: already have this lead",
    });
    expect(parsePostResponse(200, '{"accepted": true}', { acceptedPath: "" }).accepted).toBe(false);
  });

  it("turns a transport failure into a rejection", () => {
    expect(postFailure("timeout after 3000 ms")).toEqual({
      accepted: false,
      lostReason: "POST_REJECTED",
      rawReason: "timeout after 3000 ms",
    });
  });
});

describe("mapRejectionReason", () => {
  it.each([
    ["duplicate", "DUPLICATE_LEAD"],
    ["Dupe", "DUPLICATE_LEAD"],
    ["We already have this consumer", "DUPLICATE_LEAD"],
    ["lead previously purchased", "DUPLICATE_LEAD"],
    ["cap", "CAP_REACHED"],
    ["Daily limit reached", "CAP_REACHED"],
    ["capped for today", "CAP_REACHED"],
    ["at capacity", "CAP_REACHED"],
    ["monthly quota exhausted", "CAP_REACHED"],
    ["outside hours", "OUTSIDE_HOURS"],
    ["Outside of business hours", "OUTSIDE_HOURS"],
    ["closed", "OUTSIDE_HOURS"],
    ["after-hours", "OUTSIDE_HOURS"],
    ["invalid phone", "POST_REJECTED"],
    ["disclosed elsewhere", "POST_REJECTED"],
    ["capital letters", "POST_REJECTED"],
    ["", "POST_REJECTED"],
    [null, "POST_REJECTED"],
  ])("%j → %s", (text, reason) => {
    expect(mapRejectionReason(text)).toBe(reason);
  });
});
