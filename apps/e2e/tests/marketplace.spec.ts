// The marketplace's vertical slice in a real browser: a customer checks prices and sends one
// inquiry, Memphis's top DJ accepts it in the inbox, the customer sees the quote on the private
// comparison page (without the DJ's contact details), and the DJ unlocks the customer's contact.
import { expect, test } from "@playwright/test";
import { signIn, signInAt } from "./helpers";

test.setTimeout(90_000);

test("inquiry → exclusive offer accepted in the inbox → comparison page → contact unlocked", async ({
  browser,
  page,
}, info) => {
  // Each project books its own date, so the desktop and phone runs don't compete for the DJ.
  const days = 100 + info.project.name.length;
  const eventDate = new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
  const email = `customer.${info.project.name}@example.test`;

  // serve.ts seeds the demo after the server answers /healthz, so wait for the DJs to exist.
  await expect(async () => {
    await page.goto("/prices");
    await page.getByLabel("City").selectOption("Memphis", { timeout: 2_000 });
    await expect(page.getByText(/^Most DJs in Memphis charge between \$[\d,]+ and \$[\d,]+\.$/)).toBeVisible({
      timeout: 2_000,
    });
  }).toPass({ timeout: 60_000 });
  await page.getByRole("link", { name: /Get quotes from DJs in Memphis/ }).click();
  await expect(page.getByRole("heading", { name: "Get quotes from local DJs" })).toBeVisible();
  await expect(page.getByLabel("City")).toHaveValue("Memphis");

  // Bad input is refused with a message beside the field, and nothing is sent.
  await page.getByRole("button", { name: "Ask DJs for quotes" }).click();
  await expect(page.getByText("Tell us your name.")).toBeVisible();

  await page.getByLabel("Your name").fill("Riley Customer");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Event date").fill(eventDate);
  await page.getByLabel("Budget from ($)").fill("1000");
  await page.getByLabel("Budget up to ($)").fill("2000");
  await page.getByLabel("Guests").fill("150");
  await page.getByRole("checkbox", { name: /I agree that up to five DJs/ }).check();
  await page.getByRole("button", { name: "Ask DJs for quotes" }).click();
  await expect(page).toHaveURL(/\/compare\/[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}$/);
  await expect(page.getByText("No DJ has answered yet.")).toBeVisible();

  const djContext = await browser.newContext({ ...info.project.use });
  const dj = await djContext.newPage();
  await signIn(dj, "dj@bealestreet.test");
  const offer = dj.getByRole("list", { name: "New offers" }).getByRole("listitem", { name: `Wedding on ${eventDate}` });
  await expect(offer).toBeVisible();
  await expect(offer.getByText(/left to answer/)).toBeVisible();
  await offer.getByLabel("Your quote ($)").fill("1500");
  await offer.getByLabel("Message to the customer").fill("I'd love to play your wedding.");
  await offer.getByRole("button", { name: "Accept" }).click();
  const accepted = dj
    .getByRole("list", { name: "Accepted leads" })
    .getByRole("listitem", { name: `Wedding on ${eventDate}` });
  await expect(accepted.getByText("You accepted with a quote of $1,500.")).toBeVisible();

  await page.getByRole("button", { name: "Check for new answers" }).click();
  const quote = page.getByRole("list", { name: "Quotes" }).getByRole("listitem").filter({ hasText: "DJ Beale Street" });
  await expect(quote.getByText("Quote: $1,500")).toBeVisible();
  await expect(quote.getByText("I'd love to play your wedding.")).toBeVisible();
  await expect(page.getByText("dj@bealestreet.test")).toHaveCount(0);

  const before = Number((await dj.getByTestId("credit-balance").innerText()).split(" ")[0]);
  await accepted.getByRole("button", { name: "Unlock contact (1 credit)" }).click();
  await accepted.getByRole("button", { name: "Yes, unlock for 1 credit" }).click();
  await expect(accepted.getByTestId("customer-contact")).toContainText(email);
  await expect(dj.getByTestId("credit-balance")).toHaveText(`${before - 1} credits`);
  await accepted.getByRole("button", { name: "They booked me for $1,500" }).click();
  await expect(accepted.getByText("Booked.")).toBeVisible();
  await djContext.close();
});

test("the public pages render for a signed-in visitor too, beside the admin's metrics", async ({ page }) => {
  await signInAt(page, "admin@leadflow.test", "/marketplace");
  await expect(page.getByRole("row", { name: /Calculator → inquiry/ })).toContainText("> 15%");
  await page.goto("/prices");
  await expect(page.getByRole("heading", { name: "What does a DJ cost?" })).toBeVisible();
  await page.goto("/compare/AAAAAAAAAAAAAAAAAAAAAA");
  await expect(page.getByRole("alert")).toContainText("couldn't find that comparison page");
});
