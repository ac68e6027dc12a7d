// The DJ's calendar links (issue #17 item 4): the private feed to subscribe to from Google or
// Apple Calendar (rotatable), and the DJ's own calendar whose busy days block leads.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Field } from "../../components/Field";
import { fieldErrorsOf, messageOf, useTRPC } from "../../trpc";

export function CalendarSync() {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const cal = useQuery(trpc.marketDj.calendarFeed.queryOptions());
  const refresh = () => qc.invalidateQueries(trpc.marketDj.calendarFeed.queryFilter());
  const rotate = useMutation(trpc.marketDj.rotateCalendarFeed.mutationOptions({ onSuccess: refresh }));
  const save = useMutation(trpc.marketDj.setExternalCalendar.mutationOptions({ onSuccess: refresh }));
  const [url, setUrl] = useState<string | null>(null);
  const [confirmRotate, setConfirmRotate] = useState(false);
  const errs = fieldErrorsOf(save.error);
  const value = url ?? cal.data?.externalUrl ?? "";
  function submit(e: FormEvent) {
    e.preventDefault();
    save.mutate({ url: value.trim() ? value.trim() : null });
  }
  if (cal.isError)
    return (
      <p className="error" role="alert">
        {messageOf(cal.error)}
      </p>
    );
  return (
    <>
      <h2>Your calendar in Google or Apple Calendar</h2>
      <div className="card">
        <p>
          Subscribe to this private address to see your booked dates and the dates held for a lead. Anyone with it can
          read those dates, so keep it to yourself.
        </p>
        <p className="wrap-anywhere" data-testid="feed-url">
          {cal.data?.feedUrl ?? "…"}
        </p>
        {confirmRotate ? (
          <div className="actions" role="group" aria-label="Confirm a new address">
            <p>Calendars subscribed to the old address stop updating. Make a new one?</p>
            <button
              type="button"
              className="primary"
              disabled={rotate.isPending}
              onClick={() => rotate.mutate(undefined, { onSettled: () => setConfirmRotate(false) })}
            >
              Yes, make a new address
            </button>
            <button type="button" onClick={() => setConfirmRotate(false)}>
              Cancel
            </button>
          </div>
        ) : (
          <button type="button" onClick={() => setConfirmRotate(true)}>
            Make a new address
          </button>
        )}
      </div>
      <h2>Days you are busy elsewhere</h2>
      <form onSubmit={submit} noValidate className="card">
        <Field
          label="Your calendar's .ics address"
          type="url"
          inputMode="url"
          value={value}
          onChange={(e) => setUrl(e.target.value)}
          errors={errs.url}
          hint="Google: Settings → your calendar → Secret address in iCal format. We read it every 15 minutes; you get no offers on its busy days. Leave empty to stop."
        />
        {save.error && !errs.url ? (
          <p className="error" role="alert">
            {messageOf(save.error)}
          </p>
        ) : null}
        {cal.data?.externalError ? (
          <p className="error" role="alert">
            {cal.data.externalError}
          </p>
        ) : null}
        {cal.data?.externalUrl && !cal.data.externalError ? (
          <p role="status">
            {cal.data.externalBusy.length === 0
              ? "No busy days ahead in your calendar."
              : `Busy days blocking offers: ${cal.data.externalBusy.slice(0, 12).join(", ")}${cal.data.externalBusy.length > 12 ? ` and ${cal.data.externalBusy.length - 12} more` : ""}.`}
          </p>
        ) : null}
        <button type="submit" className="primary" disabled={save.isPending}>
          Save
        </button>
      </form>
    </>
  );
}
