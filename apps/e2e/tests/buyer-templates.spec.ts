// An admin gives a network buyer an XML post template with a value map, a fixed field and bearer
// auth, on a phone: the preview shows the exact body for the sample lead (its `&` and `<` escaped,
// TX mapped to Texas), a template naming a bad XML element is flagged before saving, the save
// keeps the token without ever showing it again, and the page passes axe at 390 px.
import AxeBuilder from "@axe-core/playwright";
import { expect, request, test, type Page } from "@playwright/test";
import { DEMO_PASSWORD, signIn, trpcCall } from "./helpers";

const BUYER = "Apex Home Leads";
const TOKEN = "e2e-token-Zq81x";

test.use({ viewport: { width: 390, height: 844 } });

const noSidewaysScroll = async (page: Page) =>
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

test.afterAll(async ({ baseURL }) => {
  // Leave the seeded buyer as other specs expect it: LeadFlow's own bodies.
  const admin = await request.newContext({ baseURL: baseURL! });
  await trpcCall(admin, "POST", "auth.login", { email: "admin@leadflow.test", password: DEMO_PASSWORD });
  const buyers = await trpcCall<{ id: string; name: string }[]>(admin, "GET", "buyers.list");
  const apex = buyers.find((b) => b.name === BUYER)!;
  await trpcCall(admin, "POST", "buyers.setRequestTemplate", { id: apex.id, requestTemplate: null });
  await admin.dispose();
});

async function openEditor(page: Page) {
  await page.goto("/buyers");
  await page.getByRole("button", { name: `Edit ${BUYER}` }).click();
  const form = page.getByRole("form", { name: `Request templates of ${BUYER}` });
  await expect(form).toBeVisible();
  return form;
}

test("an admin sets an XML post template with bearer auth and sees the exact body", async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, "admin@leadflow.test");
  const form = await openEditor(page);

  await form.getByLabel("Post format").selectOption("XML");
  await form.getByLabel("Post root element").fill("PostRequest");
  const row = (n: number) => form.getByRole("group", { name: `Post field ${n}` });
  await row(1).getByLabel("Buyer's name").fill("1Contact.First");
  await row(1).getByLabel("Value from").selectOption("contact.firstName");
  // Flagged before saving, in the engine's words.
  await expect(form.getByTestId("preview-post")).toContainText(`"1Contact.First" can't be an XML element name`);
  await row(1).getByLabel("Buyer's name").fill("Contact.First");

  await form.getByRole("button", { name: "Add post field" }).click();
  await row(2).getByLabel("Buyer's name").fill("State");
  await row(2).getByLabel("Value from").selectOption("state");
  await row(2)
    .getByLabel(/Value map/)
    .fill("TX=Texas");
  await form.getByRole("button", { name: "Add post field" }).click();
  await row(3).getByLabel("Buyer's name").fill("Vendor");
  await row(3).getByLabel("Value from").selectOption("static");
  await row(3).getByLabel("Fixed value").fill(`LF & "Co"`);

  await form.getByLabel("Send with").selectOption("BEARER");
  await form.getByLabel("Token", { exact: true }).fill(TOKEN);

  const post = form.getByTestId("preview-post");
  await expect(post).toContainText("content-type: application/xml; charset=utf-8");
  await expect(post).toContainText("authorization: Bearer [redacted]");
  await expect(post).toContainText(
    '<?xml version="1.0" encoding="UTF-8"?><PostRequest><Contact><First>Ann &amp; &lt;Bo&gt;</First></Contact><State>Texas</State><Vendor>LF &amp; &quot;Co&quot;</Vendor></PostRequest>',
  );
  // The ping stays LeadFlow's own JSON.
  await expect(form.getByTestId("preview-ping")).toContainText('"pingId":"11111111-2222-4333-8444-555555555555"');
  await expect(form.getByTestId("preview-ping")).not.toContainText(TOKEN);

  await noSidewaysScroll(page);
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);

  await form.getByRole("button", { name: "Save templates" }).click();
  await expect(form.getByRole("status")).toContainText("Templates saved");

  // Kept, and the token is never shown back.
  await page.reload();
  const again = await openEditor(page);
  await expect(again.getByLabel("Post format")).toHaveValue("XML");
  await expect(again.getByRole("group", { name: "Post field 2" }).getByLabel(/Value map/)).toHaveValue("TX=Texas");
  await expect(again.getByText("A secret is stored; it is never shown.")).toBeVisible();
  await expect(again.getByLabel("Token", { exact: true })).toHaveValue("");
  expect(await page.content()).not.toContain(TOKEN);
  await noSidewaysScroll(page);
});
