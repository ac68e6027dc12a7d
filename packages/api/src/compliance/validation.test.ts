import { describe, expect, it } from "vitest";
import { validateContact, validateEmail, validatePhone } from "./validation";

describe("phone validation (libphonenumber-js, max metadata)", () => {
  it.each([
    ["an exchange may not start with 1", "(212) 123-4567", "INVALID"],
    ["area code 555 is not assigned", "555-555-5555", "INVALID"],
    ["area code 000 does not exist", "000-123-4567", "INVALID"],
    ["a real New York number", "+1 212 736 5000", "VALID"],
    ["with the leading 1 and punctuation", "1 (415) 555 2671", "VALID"],
    ["nothing given", "", "MISSING"],
  ])("%s", (_, phone, expected) => {
    expect(validatePhone(phone).phone).toBe(expected);
  });

  it("tells the line type where the metadata knows it (US numbers are FIXED_LINE_OR_MOBILE; toll-free is TOLL_FREE)", () => {
    expect(validatePhone("+1 800 555 0100").phoneLineType).toBe("TOLL_FREE");
    expect(validatePhone("+1 212 736 5000").phoneLineType).toBe("FIXED_LINE_OR_MOBILE");
    expect(validatePhone("212-123-4567").phoneLineType).toBeNull();
  });
});

describe("email validation", () => {
  it.each([
    ["person@example.org", "VALID"],
    ["Someone@Gmail.com", "VALID"],
    ["someone@mailinator.com", "DISPOSABLE"],
    ["x@sub.guerrillamail.com", "DISPOSABLE"],
    ["not an email", "INVALID"],
    ["a@b", "INVALID"],
    [null, "MISSING"],
  ])("%s is %s", (email, expected) => {
    expect(validateEmail(email)).toBe(expected);
  });

  it("gives the lead's whole result", () => {
    expect(validateContact({ phone: "212-736-5000", email: "x@mailinator.com" })).toEqual({
      phone: "VALID",
      phoneLineType: "FIXED_LINE_OR_MOBILE",
      email: "DISPOSABLE",
    });
  });
});
