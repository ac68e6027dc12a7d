// How a DJ hears of new offers: email, text message, push on this phone, and quiet hours in the
// DJ's own time zone. Push needs this browser's permission: "Turn on push on this phone" registers
// the service worker, subscribes, and gives the server the subscription.
import type { AppRouter } from "@leadflow/api";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { Field } from "../../components/Field";
import { useFocusFirstError, useUnsavedChanges } from "../../components/form";
import { NOTIFY_CHANNEL_LABELS } from "../../labels";
import { fieldErrorsOf, messageOf, useTRPC } from "../../trpc";
import { currentSubscription, pushSupported, subscribeThisBrowser } from "./push";

const ZONES = [
  "America/New_York",
  "America/Chicago",
  "America/Denver",
  "America/Phoenix",
  "America/Los_Angeles",
  "America/Anchorage",
  "Pacific/Honolulu",
  "Europe/London",
  "UTC",
];

interface Form {
  email: boolean;
  emailTo: string;
  sms: boolean;
  smsTo: string;
  push: boolean;
  quietStart: string;
  quietEnd: string;
  timeZone: string;
}

export function DjNotifyPage() {
  const trpc = useTRPC();
  const settings = useQuery(trpc.djNotify.settings.queryOptions());
  if (settings.isPending) return <p>Loading…</p>;
  if (settings.isError)
    return (
      <p className="error" role="alert">
        {messageOf(settings.error)}
      </p>
    );
  return <NotifyForm settings={settings.data} />;
}

type Settings = inferRouterOutputs<AppRouter>["djNotify"]["settings"];

function NotifyForm({ settings }: { settings: Settings }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const initial: Form = {
    email: settings.email,
    emailTo: settings.emailTo ?? "",
    sms: settings.sms,
    smsTo: settings.smsTo ?? "",
    push: settings.push,
    quietStart: settings.quietStart ?? "",
    quietEnd: settings.quietEnd ?? "",
    timeZone: settings.timeZone,
  };
  const [form, setForm] = useState<Form>(initial);
  const [savedForm, setSavedForm] = useState<Form>(initial);
  const [attempt, setAttempt] = useState(0);
  const [pushState, setPushState] = useState<"unknown" | "on" | "off">("unknown");
  const [pushError, setPushError] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const ids = { email: useId(), sms: useId(), push: useId(), tz: useId() };
  const set = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }));
  const refresh = () => qc.invalidateQueries(trpc.djNotify.pathFilter());
  const save = useMutation(
    trpc.djNotify.saveSettings.mutationOptions({
      onSuccess: async () => {
        setSavedForm(form);
        await refresh();
      },
      onError: () => setAttempt((n) => n + 1),
    }),
  );
  const subscribe = useMutation(trpc.djNotify.subscribePush.mutationOptions({ onSuccess: refresh }));
  const dirty = JSON.stringify(form) !== JSON.stringify(savedForm);
  const leaveWarning = useUnsavedChanges(dirty && !save.isPending);
  useFocusFirstError(formRef, attempt);
  useEffect(() => {
    void currentSubscription().then((s) => setPushState(s ? "on" : "off"));
  }, []);

  async function turnOnPush() {
    setPushError(null);
    try {
      if (!settings.vapidPublicKey) throw new Error("Push is not set up on this server.");
      const sub = await subscribeThisBrowser(settings.vapidPublicKey);
      await subscribe.mutateAsync(sub);
      setPushState("on");
      set({ push: true });
    } catch (err) {
      setPushError(err instanceof Error ? err.message : "This browser could not turn on push.");
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    save.mutate({
      email: form.email,
      emailTo: form.emailTo || null,
      sms: form.sms,
      smsTo: form.smsTo || null,
      push: form.push,
      quietStart: form.quietStart || null,
      quietEnd: form.quietEnd || null,
      timeZone: form.timeZone,
    });
  }
  const errors = fieldErrorsOf(save.error);
  const general = save.error && Object.keys(errors).length === 0 ? messageOf(save.error) : null;
  return (
    <section>
      <h1>How you hear of new offers</h1>
      <p>
        Each new offer reaches you on every channel you turn on here, within seconds, with a link that opens it. An
        exclusive offer is yours for a short time only, so turn on at least one channel you see on your phone.
      </p>
      <form ref={formRef} className="settings" onSubmit={submit} noValidate aria-label="Notification settings">
        {leaveWarning}
        <label className="choice" htmlFor={ids.email}>
          <input
            id={ids.email}
            type="checkbox"
            checked={form.email}
            onChange={(e) => set({ email: e.target.checked })}
          />
          <span>{NOTIFY_CHANNEL_LABELS.email}</span>
        </label>
        {form.email ? (
          <Field
            label="Email address"
            type="email"
            autoComplete="email"
            value={form.emailTo}
            placeholder={settings.defaultEmail ?? ""}
            onChange={(e) => set({ emailTo: e.target.value })}
            errors={errors.emailTo}
            hint={settings.defaultEmail ? `Leave it empty to use ${settings.defaultEmail}.` : undefined}
          />
        ) : null}
        <label className="choice" htmlFor={ids.sms}>
          <input
            id={ids.sms}
            type="checkbox"
            checked={form.sms}
            disabled={!settings.smsAvailable && !form.sms}
            aria-describedby={settings.smsAvailable ? undefined : `${ids.sms}-hint`}
            onChange={(e) => set({ sms: e.target.checked })}
          />
          <span>{NOTIFY_CHANNEL_LABELS.sms}</span>
        </label>
        {!settings.smsAvailable ? (
          <p className="hint" id={`${ids.sms}-hint`}>
            Text messages are not set up on this LeadFlow yet; ask your admin.
          </p>
        ) : null}
        {errors.sms ? (
          <p className="error" role="alert">
            {errors.sms.join(" ")}
          </p>
        ) : null}
        {form.sms ? (
          <Field
            label="Mobile number"
            type="tel"
            inputMode="tel"
            autoComplete="tel"
            value={form.smsTo}
            placeholder="+19015550123"
            onChange={(e) => set({ smsTo: e.target.value })}
            errors={errors.smsTo}
            hint="With the country code: +1 for the US."
          />
        ) : null}
        <label className="choice" htmlFor={ids.push}>
          <input id={ids.push} type="checkbox" checked={form.push} onChange={(e) => set({ push: e.target.checked })} />
          <span>
            {NOTIFY_CHANNEL_LABELS.push}
            <small className="hint">
              {settings.browsersSubscribed === 0
                ? "No browser of yours is set up for push yet."
                : `${settings.browsersSubscribed} browser${settings.browsersSubscribed === 1 ? "" : "s"} of yours set up for push.`}
            </small>
          </span>
        </label>
        <div className="actions">
          <button
            type="button"
            onClick={() => void turnOnPush()}
            disabled={!pushSupported() || subscribe.isPending || pushState === "on"}
          >
            {pushState === "on" ? "Push is on for this phone" : "Turn on push on this phone"}
          </button>
        </div>
        {!pushSupported() ? (
          <p className="hint">
            This browser cannot receive push notifications. On an iPhone, add LeadFlow to the home screen first.
          </p>
        ) : null}
        {(pushError ?? subscribe.error) ? (
          <p className="error" role="alert">
            {pushError ?? messageOf(subscribe.error)}
          </p>
        ) : null}
        <h2>Quiet hours</h2>
        <p className="hint">
          Nothing is sent between these times; what is still open when they end is sent then. Offers keep their full
          time to answer.
        </p>
        <div className="grid3">
          <Field
            label="From"
            type="time"
            value={form.quietStart}
            onChange={(e) => set({ quietStart: e.target.value })}
            errors={errors.quietStart}
          />
          <Field
            label="Until"
            type="time"
            value={form.quietEnd}
            onChange={(e) => set({ quietEnd: e.target.value })}
            errors={errors.quietEnd}
          />
          <div className="field">
            <label htmlFor={ids.tz}>Your time zone</label>
            <select id={ids.tz} value={form.timeZone} onChange={(e) => set({ timeZone: e.target.value })}>
              {(ZONES.includes(form.timeZone) ? ZONES : [form.timeZone, ...ZONES]).map((z) => (
                <option key={z} value={z}>
                  {z.replace(/_/g, " ")}
                </option>
              ))}
            </select>
          </div>
        </div>
        {general ? (
          <p className="error" role="alert">
            {general}
          </p>
        ) : null}
        <div className="actions">
          <button type="submit" className="primary" disabled={save.isPending}>
            {save.isPending ? "Saving…" : "Save"}
          </button>
        </div>
        {save.isSuccess && !dirty ? <p role="status">Saved.</p> : null}
      </form>
    </section>
  );
}
