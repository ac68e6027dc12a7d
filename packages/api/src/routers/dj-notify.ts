// How a DJ hears of offers: channels, quiet hours, the browsers subscribed for push, and opening
// the one-tap link from a message. Scoped to the caller's DJ profile (push subscriptions to the user).
import { isValidTimeZone, parseHm } from "@leadflow/engine";
import { z } from "zod";
import { djForOrg } from "../marketplace";
import { getNotifyProfile, openOfferLink, saveNotifyProfile, subscribePush, unsubscribePush } from "../notify/profile";
import { audited } from "../audit";
import { roleProcedure, router } from "../trpc";

const djProcedure = roleProcedure("dj");
const blank = (v: unknown) => (typeof v === "string" && v.trim() === "" ? null : v);
const hm = z.preprocess(
  blank,
  z
    .string()
    .refine((v) => parseHm(v) !== null && parseHm(v)! < 1440, "Use a time like 22:00.")
    .nullable(),
);

const settingsInput = z
  .object({
    email: z.boolean(),
    emailTo: z.preprocess(blank, z.email("Enter an email address like you@example.com.").max(254).nullable()),
    sms: z.boolean(),
    smsTo: z.preprocess(
      (v) => (typeof v === "string" ? v.replace(/[\s().-]/g, "") || null : v),
      z
        .string()
        .regex(/^\+[1-9]\d{7,14}$/, "Enter the number with its country code, like +19015550123.")
        .nullable(),
    ),
    push: z.boolean(),
    quietStart: hm,
    quietEnd: hm,
    timeZone: z.string().refine(isValidTimeZone, "Choose a time zone from the list."),
  })
  .superRefine((v, ctx) => {
    if ((v.quietStart === null) !== (v.quietEnd === null))
      ctx.addIssue({
        code: "custom",
        path: [v.quietStart === null ? "quietStart" : "quietEnd"],
        message: "Give both the start and the end of your quiet hours, or neither.",
      });
  });

const pushSubscription = z.object({
  endpoint: z.url({ protocol: /^https?$/, error: "The browser gave an invalid push endpoint." }).max(2000),
  keys: z.object({
    p256dh: z.string().regex(/^[A-Za-z0-9_-]{80,100}$/, "The browser gave an invalid push key."),
    auth: z.string().regex(/^[A-Za-z0-9_-]{16,30}$/, "The browser gave an invalid push secret."),
  }),
  userAgent: z.string().max(400).nullable().optional(),
});

export const djNotifyRouter = router({
  settings: djProcedure.query(async ({ ctx }) => {
    const dj = await djForOrg(ctx.db, ctx.user.orgId);
    return getNotifyProfile(ctx, dj, ctx.user.id);
  }),
  saveSettings: djProcedure.input(settingsInput).mutation(
    audited(
      { entity: "dj_notify", id: async (_i, c) => (await djForOrg(c.db, c.user!.orgId)).id },
      async ({ ctx, input }) => {
        const dj = await djForOrg(ctx.db, ctx.user.orgId);
        await saveNotifyProfile(ctx, dj, ctx.user.id, input);
        return { ok: true as const };
      },
    ),
  ),
  subscribePush: djProcedure.input(pushSubscription).mutation(async ({ ctx, input }) => {
    await subscribePush(ctx.db, ctx.user.id, {
      endpoint: input.endpoint,
      p256dh: input.keys.p256dh,
      auth: input.keys.auth,
      userAgent: input.userAgent ?? null,
    });
    return { ok: true as const };
  }),
  unsubscribePush: djProcedure
    .input(z.object({ endpoint: z.string().max(2000) }))
    .mutation(async ({ ctx, input }) => unsubscribePush(ctx.db, ctx.user.id, input.endpoint)),
  openLink: djProcedure
    .input(z.object({ token: z.string().min(1, "The link has no token.").max(400) }))
    .query(async ({ ctx, input }) => {
      const dj = await djForOrg(ctx.db, ctx.user.orgId);
      return openOfferLink(ctx, ctx.user, dj, input.token);
    }),
});
