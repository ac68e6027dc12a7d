// A DJ's notification settings, the browsers subscribed for push, and opening a one-tap link.
import {
  countPushSubscriptions,
  deletePushSubscription,
  getDjNotifySettings,
  getOfferLead,
  upsertDjNotifySettings,
  upsertPushSubscription,
  type Db,
  type DjRow,
} from "@leadflow/db";
import type { Clock } from "@leadflow/engine";
import { AppError } from "../errors";
import type { Services } from "../context";
import { verifyOfferLink } from "./link";

export interface NotifyProfileInput {
  email: boolean;
  emailTo: string | null;
  sms: boolean;
  smsTo: string | null;
  push: boolean;
  quietStart: string | null;
  quietEnd: string | null;
  timeZone: string;
}

export async function getNotifyProfile(s: Pick<Services, "db" | "notify">, dj: DjRow, userId: string) {
  const row = await getDjNotifySettings(s.db, dj.id);
  return {
    email: row?.email ?? true,
    emailTo: row?.emailTo ?? null,
    defaultEmail: dj.contactEmail,
    sms: row?.sms ?? false,
    smsTo: row?.smsTo ?? null,
    push: row?.push ?? false,
    quietStart: row?.quietStart ?? null,
    quietEnd: row?.quietEnd ?? null,
    timeZone: row?.timeZone ?? "America/Chicago",
    smsAvailable: !!s.notify?.twilio,
    vapidPublicKey: s.notify?.vapid.publicKey ?? null,
    browsersSubscribed: await countPushSubscriptions(s.db, userId),
  };
}

export async function saveNotifyProfile(
  s: Pick<Services, "db" | "notify" | "clock">,
  dj: DjRow,
  userId: string,
  input: NotifyProfileInput,
) {
  if (input.sms && !s.notify?.twilio)
    throw new AppError("BAD_REQUEST", "SMS is not set up on this server; ask your admin.", {
      sms: ["SMS is not set up on this server; ask your admin."],
    });
  if (input.sms && !input.smsTo)
    throw new AppError("BAD_REQUEST", "Enter the mobile number to text.", {
      smsTo: ["Enter the mobile number to text."],
    });
  if (input.email && !input.emailTo && !dj.contactEmail)
    throw new AppError("BAD_REQUEST", "Enter the email address to write to.", {
      emailTo: ["Enter the email address to write to."],
    });
  await upsertDjNotifySettings(s.db, { djId: dj.id, userId, ...input, updatedAt: s.clock.now() });
}

export async function subscribePush(
  db: Db,
  userId: string,
  sub: { endpoint: string; p256dh: string; auth: string; userAgent: string | null },
) {
  await upsertPushSubscription(db, { userId, ...sub });
}

export async function unsubscribePush(db: Db, userId: string, endpoint: string) {
  return { removed: (await deletePushSubscription(db, endpoint, userId)) > 0 };
}

const LINK_WORDS = {
  malformed: "This link is not complete. Open the offer from your inbox instead.",
  tampered: "This link is not valid: it was changed or cut short. Open the offer from your inbox instead.",
  expired: "This link has expired. Open the offer from your inbox; it may still be open there.",
} as const;

/** The lead a signed link opens, for the signed-in DJ it was made for. */
export async function openOfferLink(
  s: { db: Db; clock: Clock; notify?: Services["notify"] },
  user: { id: string },
  dj: DjRow,
  token: string,
): Promise<{ leadId: string }> {
  if (!s.notify) throw new AppError("BAD_REQUEST", LINK_WORDS.tampered);
  const v = verifyOfferLink(s.notify.linkSecret, token, s.clock.now());
  if (!v.ok) throw new AppError("BAD_REQUEST", LINK_WORDS[v.reason]);
  const offer = await getOfferLead(s.db, v.offerId);
  if (v.userId !== user.id || !offer || offer.djId !== dj.id)
    throw new AppError("FORBIDDEN", "This link was sent to another account. Sign in as the DJ it was sent to.");
  return { leadId: offer.leadId };
}
