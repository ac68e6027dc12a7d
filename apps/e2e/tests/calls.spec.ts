// Call tracking end to end: the voice provider's webhook, signed here the way the provider signs
// (HMAC-SHA1 over the URL and the sorted fields), connects the caller to DJ Beale Street's own
// phone; the call shows on the DJ's calls page; the admin sees the attribution rate and its target;
// the DJ's public profile shows a tracking number, never the DJ's own.
import { expect, test } from "@playwright/test";
import { createHmac, randomBytes } from "node:crypto";
import { E2E_TWILIO_AUTH_TOKEN } from "../src/calls-token";
import { signIn, signInAt } from "./helpers";

const token = process.env.TWILIO_AUTH_TOKEN ?? E2E_TWILIO_AUTH_TOKEN;
const port = Number(process.env.E2E_PORT ?? 3199);
// The server's PUBLIC_URL (the default for its host and port): what the provider would post to.
const webhookUrl = `http://127.0.0.1:${port}/api/calls/webhook`;

function sign(params: Record<string, string>, url = webhookUrl): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, k) => acc + k + params[k], url);
  return createHmac("sha1", token).update(data, "utf8").digest("base64");
}

test.setTimeout(90_000);

test("a signed call to a tracking number shows on the DJ's calls page; the admin sees attribution", async ({
  page,
  request,
  browser,
}, info) => {
  const phone = info.project.name === "phone";
  const callSid = `CA${randomBytes(16).toString("hex")}`;
  const seconds = phone ? 755 : 754;
  const shown = phone ? "12 min 35 s" : "12 min 34 s";
  const base = {
    CallSid: callSid,
    AccountSid: `AC${"0".repeat(32)}`,
    From: phone ? "+16155557001" : "+16155557000",
    To: "+19015550140",
    Direction: "inbound",
    FromState: "TN",
  };
  const post = (params: Record<string, string>, signature?: string) =>
    request.post("/api/calls/webhook", {
      form: params,
      headers: signature === undefined ? {} : { "X-Twilio-Signature": signature },
    });

  // serve.ts seeds before listening, but wait for the server to answer like the other specs do.
  await expect(async () => expect((await request.get("/healthz")).ok()).toBe(true)).toPass({ timeout: 60_000 });

  const ringing = { ...base, CallStatus: "ringing" };
  expect((await post(ringing)).status()).toBe(400);
  expect((await post({ ...ringing, To: "+19015550141" }, sign(ringing))).status()).toBe(403);
  const answer = await post(ringing, sign(ringing));
  expect(answer.status()).toBe(200);
  expect(await answer.text()).toContain("<Dial><Number>+19015550190</Number></Dial>");
  const completed = { ...base, CallStatus: "completed", CallDuration: String(seconds) };
  expect((await post(completed, sign(completed))).status()).toBe(200);
  // The provider redelivers: nothing changes.
  expect((await post(completed, sign(completed))).status()).toBe(200);

  await signIn(page, "dj@bealestreet.test");
  await page.getByRole("link", { name: "Calls" }).click();
  await expect(page.getByRole("heading", { name: "Calls", level: 1 })).toBeVisible();
  await expect(page.getByRole("list", { name: "Tracking numbers" })).toContainText("+19015550140");
  const card = page.getByRole("list", { name: "Recent calls" }).getByRole("listitem").filter({ hasText: shown });
  await expect(card).toHaveCount(1);
  await expect(card.getByText("Billable lead", { exact: true })).toBeVisible();
  await expect(card.getByText("Billed", { exact: true })).toBeVisible();
  await expect(card).toContainText("To +19015550140.");
  await expect(card).not.toContainText(base.From);
  await expect(page.getByText("+19015550190")).toHaveCount(0);

  // Mark it booked: the figures move, and bad input is answered beside the field.
  await card.getByText("Link to a lead or mark as booked").click();
  await card.getByLabel("Booking value ($)").fill("1800");
  await card.getByLabel("Booking reference").fill("   ");
  await card.getByRole("button", { name: "Mark as booked" }).click();
  await expect(card.getByText("Enter your booking reference.")).toBeVisible();
  await card.getByLabel("Booking reference").fill(`E2E-${info.project.name}`);
  await card.getByRole("button", { name: "Mark as booked" }).click();
  await expect(card.getByText(`Booked: E2E-${info.project.name} ($1,800)`)).toBeVisible();

  const adminContext = await browser.newContext({ ...info.project.use });
  const admin = await adminContext.newPage();
  await signInAt(admin, "admin@leadflow.test", "/calls");
  const rate = admin.getByRole("table", { name: "Call analytics" }).getByRole("row", { name: /Call attribution rate/ });
  await expect(rate).toContainText(/\d+%/);
  await expect(rate).toContainText("> 40%");
  await expect(admin.getByRole("table", { name: "Calls by DJ" })).toContainText("DJ Beale Street");
  await admin.goto("/marketplace");
  await expect(admin.getByRole("row", { name: /Calls attributed to a lead/ })).toContainText("> 40%");

  // The DJ's public profile shows a tracking number from the pool, never the DJ's own phone.
  const choices = (await (await adminContext.request.get("/trpc/calls.djChoices")).json()) as {
    result: { data: { id: string; name: string }[] };
  };
  const beale = choices.result.data.find((d) => d.name === "DJ Beale Street")!;
  await adminContext.close();
  await page.goto(`/djs/${beale.id}`);
  await expect(page.getByRole("heading", { name: "DJ Beale Street", level: 1 })).toBeVisible();
  await expect(page.getByRole("link", { name: /^\+1901555014[01]$/ })).toBeVisible();
  await expect(page.getByText("+19015550190")).toHaveCount(0);
  await page.goto("/djs/00000000-0000-4000-8000-000000000000");
  await expect(page.getByRole("alert")).toContainText("We couldn't find that DJ.");
});
