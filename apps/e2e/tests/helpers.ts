import { expect, type APIRequestContext, type Page } from "@playwright/test";

export const DEMO_PASSWORD = "leadflow-demo";

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  // scrypt makes a sign-in deliberately slow, more so on a busy machine.
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible({ timeout: 20_000 });
}

/**
 * Signs in through the API and opens `path` signed in: for a test about a page, not about signing
 * in. The session cookie lands in the page's own context (page.request shares its cookies), so the
 * sign-in page and the home page are never drawn: a form sign-in and the home it lands on took
 * about 1.5 s of each such test, this one request. login.spec.ts and the tests that go on from the
 * home page still sign in through the form.
 */
export async function signInAt(page: Page, email: string, path: string, password = DEMO_PASSWORD) {
  await trpcCall(page.request, "POST", "auth.login", { email, password });
  await page.goto(path);
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible({ timeout: 20_000 });
}

/**
 * Signs out and waits for the sign-in page: going to /login before the sign-out has finished finds
 * the session still there, and /login sends a signed-in user home.
 */
export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { name: "Sign in to LeadFlow" })).toBeVisible({ timeout: 20_000 });
}

/** One tRPC call (GET for a query, POST for a mutation) through a signed-in API context. */
export async function trpcCall<T>(
  ctx: APIRequestContext,
  method: "GET" | "POST",
  path: string,
  input?: unknown,
): Promise<T> {
  const res =
    method === "GET"
      ? await ctx.get(
          `/trpc/${path}${input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`}`,
        )
      : await ctx.post(`/trpc/${path}`, { data: input ?? {} });
  const body = (await res.json()) as { result?: { data: T }; error?: unknown };
  if (!res.ok() || !body.result) throw new Error(`${path}: ${res.status()} ${JSON.stringify(body.error)}`);
  return body.result.data;
}
