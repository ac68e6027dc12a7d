// A lead seller's Webhooks page at a phone's 390 px width: it saves a URL (its own endpoint,
// started here on loopback), takes a signing secret, sends a test event and sees the delivery
// row settle as delivered, while the endpoint verifies the request with the `standardwebhooks`
// package and the secret the page showed.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { signIn } from "./helpers";

test.use({ viewport: { width: 390, height: 844 } });
test.setTimeout(180_000);

const noSidewaysScroll = async (page: Page) =>
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

interface Got {
  id: string;
  verified: boolean;
  type: string;
}

let server: Server;
let port = 0;
let secret = "";
const got: Got[] = [];

test.beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      let verified = false;
      try {
        new Webhook(secret).verify(raw, req.headers as Record<string, string>);
        verified = true;
      } catch {
        verified = false;
      }
      got.push({ id: String(req.headers["webhook-id"]), verified, type: (JSON.parse(raw) as { type: string }).type });
      res.writeHead(verified ? 204 : 401).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
test.afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

test("a seller sets its webhook URL, sends a test event and sees it delivered", async ({ page }) => {
  await signIn(page, "seller@brightpath.test");
  await page.getByRole("navigation").getByRole("link", { name: "Webhooks" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Webhooks" })).toBeVisible();

  // A private address is refused beside the field, and nothing is saved.
  await page.getByLabel("Webhook URL").fill("http://10.0.0.8/hooks");
  await page.getByRole("button", { name: "Save URL" }).click();
  await expect(page.getByText(/private address/)).toBeVisible();
  await expect(page.getByText("http://10.0.0.8/hooks", { exact: true })).toHaveCount(0);

  await page.getByLabel("Webhook URL").fill(`http://127.0.0.1:${port}/leadflow`);
  await page.getByRole("button", { name: "Save URL" }).click();
  await expect(page.getByRole("button", { name: "Send test event" })).toBeVisible();
  // The first save shows the secret once (a run on another viewport finds the URL saved already).
  const shown = page.getByTestId("webhook-secret");
  const first = (await shown.count()) > 0 ? await shown.textContent() : null;
  // A rotation shows a new secret; from now on events are signed with it.
  await page.getByRole("button", { name: "Rotate secret" }).click();
  await expect(shown).toHaveText(/^whsec_/);
  if (first) await expect(shown).not.toHaveText(first);
  secret = (await shown.textContent())!;

  const rows = page.getByTestId("webhook-delivery");
  const before = await rows.count();
  await page.getByRole("button", { name: "Send test event" }).click();
  await expect(rows).toHaveCount(before + 1);
  const row = rows.first();
  await expect(row).toContainText("Test event");
  await expect(row).toContainText("Delivered", { timeout: 30_000 });
  const text = (await row.textContent())!;
  const hit = got.find((g) => text.includes(g.id));
  expect(hit).toMatchObject({ type: "webhook.test", verified: true });
  await noSidewaysScroll(page);
  // With the secret notice and a delivery row on it, the page still passes axe.
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
});
