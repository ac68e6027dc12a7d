// The couple's side in a real browser (issue #17 item 3 and the unlock of item 4): a couple asks
// for quotes, reads the comparison link from the email they were sent (the outbox), sees DJ Beale
// Street's quote, writes with a phone number that is hidden before the unlock, the DJ on a phone
// answers in the thread, unlocks the contact after confirming the price in credits and gets
// tap-to-call / mailto links, and the couple books the DJ. Pages axe clean, no sideways scroll.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { e2eDatabase } from "./db";
import { signIn } from "./helpers";

test.setTimeout(120_000);

async function checkPage(page: Page) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);
}

async function emailTo(to: string, subject: RegExp): Promise<string> {
  const sql = e2eDatabase();
  try {
    let text = "";
    await expect(async () => {
      const rows = await sql<{ subject: string; text: string }[]>`
        select subject, text from email_outbox where "to" = ${to} and kind = 'couple' order by created_at desc`;
      const hit = rows.find((r) => subject.test(r.subject));
      expect(hit).toBeTruthy();
      text = hit!.text;
    }).toPass({ timeout: 30_000 });
    return text;
  } finally {
    await sql.end();
  }
}

test("a couple inquires, opens the emailed link, messages the DJ, and books them; the DJ unlocks on a phone", async ({
  browser,
  page,
}, info) => {
  // A date of its own per project and run, so no earlier offer holds DJ Beale Street's calendar.
  const days = 300 + Math.floor(Math.random() * 300);
  const eventDate = new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
  const email = `couple.${info.project.name}.${Date.now()}@example.test`;

  await expect(async () => {
    await page.goto("/inquire");
    await page.getByLabel("City").selectOption("Memphis", { timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  // The email is required: it is where the link goes.
  await page.getByLabel("Your name").fill("Sam Couple");
  await page.getByLabel("Event date").fill(eventDate);
  await page.getByRole("button", { name: "Ask DJs for quotes" }).click();
  await expect(page.getByText(/Enter a valid email address/)).toBeVisible();
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Phone (optional)").fill("+1 901 555 0177");
  await page.getByLabel("Budget from ($)").fill("1000");
  await page.getByLabel("Budget up to ($)").fill("2000");
  await page.getByRole("checkbox", { name: /I agree that up to five DJs/ }).check();
  await page.getByRole("button", { name: "Ask DJs for quotes" }).click();
  await expect(page).toHaveURL(/\/compare\//);

  // The link, from the email the couple was sent at once.
  const first = await emailTo(email, /Your DJ quotes/);
  const link = /https?:\/\/\S+\/compare\/[A-Za-z0-9_.-]+/.exec(first)![0];
  const comparePath = new URL(link).pathname;
  expect(page.url()).toContain(comparePath);

  // DJ Beale Street, on a phone, accepts with a quote.
  const phone = await browser.newContext({ ...info.project.use, viewport: { width: 390, height: 844 } });
  const dj = await phone.newPage();
  await signIn(dj, "dj@bealestreet.test");
  const offer = dj.getByRole("list", { name: "New offers" }).getByRole("listitem", { name: `Wedding on ${eventDate}` });
  await offer.getByLabel("Your quote ($)").fill("1600");
  await offer.getByRole("button", { name: "Accept" }).click();
  const accepted = dj
    .getByRole("list", { name: "Accepted leads" })
    .getByRole("listitem", { name: `Wedding on ${eventDate}` });
  await expect(accepted.getByText("You accepted with a quote of $1,600.")).toBeVisible();
  expect(await emailTo(email, /New quote from DJ Beale Street/)).toContain(comparePath);

  // The couple opens the emailed link and writes; the number is hidden before the unlock.
  await page.goto(comparePath);
  const card = page.getByRole("listitem", { name: "DJ Beale Street" });
  await expect(card.getByText("Quote: $1,600")).toBeVisible();
  await card.getByLabel("Message to DJ Beale Street").fill("Can you do a first dance mix? Text me on 901-555-0177");
  await card.getByRole("button", { name: "Send message" }).click();
  await expect(card.getByTestId("thread-message")).toHaveCount(1);
  await expect(card.getByTestId("thread-message")).not.toContainText("555-0177");
  await expect(card.getByText(/Contact details were hidden/)).toBeVisible();
  await checkPage(page);

  // The DJ reads it and answers in the thread.
  await dj.reload();
  const thread = accepted.getByRole("region", { name: "Messages with the couple" });
  await expect(thread.getByTestId("thread-message")).toContainText("first dance mix");
  await expect(thread).not.toContainText("555-0177");
  await thread.getByLabel("Message to the couple").fill("Yes, happy to!");
  await thread.getByRole("button", { name: "Send message" }).click();
  await expect(thread.getByTestId("thread-message")).toHaveCount(2);

  // The unlock asks first and says the price in credits; then phone and email are links.
  await accepted.getByRole("button", { name: "Unlock contact (1 credit)" }).click();
  await expect(
    accepted.getByText(/Unlock this couple's phone and email for 1 credit\? You have \d+ credits?\./),
  ).toBeVisible();
  await checkPage(dj);
  await accepted.getByRole("button", { name: "Yes, unlock for 1 credit" }).click();
  const contact = accepted.getByTestId("customer-contact");
  await expect(contact.getByRole("link", { name: /Call/ })).toHaveAttribute("href", "tel:+19015550177");
  await expect(contact.getByRole("link", { name: /Email/ })).toHaveAttribute("href", `mailto:${email}`);
  await checkPage(dj);

  // The couple sees the DJ's answer and books them, after confirming.
  await page.reload();
  await expect(card.getByTestId("thread-message")).toHaveCount(2);
  await card.getByRole("button", { name: "Choose DJ Beale Street" }).click();
  await card.getByRole("button", { name: "Yes, book DJ Beale Street" }).click();
  await expect(page.getByTestId("booked")).toContainText("You booked DJ Beale Street");
  await checkPage(page);

  // The DJ's private calendar feed lists the booked date, for Google or Apple Calendar.
  await dj.goto("/calendar");
  await expect(dj.getByTestId("feed-url")).toHaveText(/\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
  const feedUrl = (await dj.getByTestId("feed-url").innerText()).trim();
  const ics = await (await page.request.get(new URL(feedUrl).pathname)).text();
  expect(ics).toContain("BEGIN:VCALENDAR");
  expect(ics).toContain(`DTSTART;VALUE=DATE:${eventDate.replace(/-/g, "")}`);
  await checkPage(dj);
  await phone.close();
});
