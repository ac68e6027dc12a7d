import { useEffect, useId, useState } from "react";
import { EVENT_TYPE_LABELS, labelOf } from "../../labels";
import { usd } from "../../public/PublicRoutes";
import { DjLeadThread } from "./LeadThread";

/** A phone number as a tel: URI (digits and a leading +). */
const telOf = (phone: string) => `tel:${phone.replace(/[^\d+]/g, "")}`;

export interface InboxItem {
  leadId: string;
  city: string;
  eventType: string;
  eventDate: string;
  budgetMinCents: number | null;
  budgetMaxCents: number | null;
  guestCount: number | null;
  venueName: string | null;
  notes: string | null;
  status: string;
  leadState: string;
  phase: string;
  windowEndsAt: string | Date;
  quoteCents: number | null;
  contact: { name: string; email?: string | null; phone?: string | null } | null;
  /** The couple booked another DJ (this DJ was told). */
  choseOtherAt?: string | Date | null;
}

/** Seconds left on the server's clock, ticking once a second. */
function useRemaining(endsAt: string | Date, offsetMs: number): number {
  const end = new Date(endsAt).getTime();
  const [left, setLeft] = useState(() => end - (Date.now() + offsetMs));
  useEffect(() => {
    const t = setInterval(() => setLeft(end - (Date.now() + offsetMs)), 1000);
    return () => clearInterval(t);
  }, [end, offsetMs]);
  return Math.max(0, Math.floor(left / 1000));
}

function Countdown({ endsAt, offsetMs }: { endsAt: string | Date; offsetMs: number }) {
  const s = useRemaining(endsAt, offsetMs);
  const text =
    s >= 3600
      ? `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`
      : `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  return <span className={s < 120 ? "danger" : "warn"}>{s === 0 ? "Time's up" : `${text} left to answer`}</span>;
}

const budget = (i: InboxItem) =>
  i.budgetMinCents != null && i.budgetMaxCents != null
    ? `${usd(i.budgetMinCents)}–${usd(i.budgetMaxCents)}`
    : i.budgetMaxCents != null
      ? `up to ${usd(i.budgetMaxCents)}`
      : "not given";

export function OfferCard(props: {
  item: InboxItem;
  offsetMs: number;
  busy: boolean;
  onAnswer?: (action: "accepted" | "declined", quoteDollars: number | null, message: string | null) => void;
  onUnlock?: () => void;
  onBooked?: () => void;
  /** The DJ's balance, shown when confirming an unlock. */
  credits?: number;
  unlockCost?: number;
}) {
  const { item: i } = props;
  const [confirmUnlock, setConfirmUnlock] = useState(false);
  const cost = props.unlockCost ?? 1;
  const creditWord = (n: number) => `${n} credit${n === 1 ? "" : "s"}`;
  const [quote, setQuote] = useState("");
  const [message, setMessage] = useState("");
  const quoteId = useId();
  const msgId = useId();
  const title = `${labelOf(EVENT_TYPE_LABELS, i.eventType)} on ${i.eventDate}`;
  return (
    <li className="card" aria-label={title}>
      <h3>{title}</h3>
      <p>
        {i.city} · budget {budget(i)}
        {i.guestCount ? ` · ${i.guestCount} guests` : ""}
        {i.venueName ? ` · ${i.venueName}` : ""}
      </p>
      {i.notes ? <p>“{i.notes}”</p> : null}
      {i.status === "offered" && props.onAnswer ? (
        <>
          <p>
            {i.phase === "exclusive" ? "Offered to you alone. " : ""}
            <Countdown endsAt={i.windowEndsAt} offsetMs={props.offsetMs} />
          </p>
          <div className="field">
            <label htmlFor={quoteId}>Your quote ($)</label>
            <input
              id={quoteId}
              type="number"
              inputMode="numeric"
              min={0}
              value={quote}
              onChange={(e) => setQuote(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={msgId}>Message to the customer</label>
            <textarea id={msgId} rows={2} value={message} onChange={(e) => setMessage(e.target.value)} />
          </div>
          <div className="actions">
            <button
              type="button"
              className="primary"
              disabled={props.busy}
              onClick={() => props.onAnswer!("accepted", quote ? Number(quote) : null, message || null)}
            >
              Accept
            </button>
            <button type="button" disabled={props.busy} onClick={() => props.onAnswer!("declined", null, null)}>
              Decline
            </button>
          </div>
        </>
      ) : null}
      {i.status === "accepted" ? (
        <>
          <p className="ok">You accepted{i.quoteCents != null ? ` with a quote of ${usd(i.quoteCents)}` : ""}.</p>
          {i.contact ? (
            <>
              <p data-testid="customer-contact" className="wrap-anywhere">
                <strong>{i.contact.name}</strong>
                {i.contact.phone ? (
                  <>
                    {" · "}
                    <a href={telOf(i.contact.phone)}>Call {i.contact.phone}</a>
                  </>
                ) : null}
                {i.contact.email ? (
                  <>
                    {" · "}
                    <a href={`mailto:${i.contact.email}`}>Email {i.contact.email}</a>
                  </>
                ) : null}
              </p>
              {i.choseOtherAt ? null : i.leadState === "converted" ? (
                <p className="ok">Booked.</p>
              ) : i.leadState === "accepted" && props.onBooked ? (
                <button type="button" disabled={props.busy} onClick={props.onBooked}>
                  They booked me{i.quoteCents != null ? ` for ${usd(i.quoteCents)}` : ""}
                </button>
              ) : null}
            </>
          ) : i.choseOtherAt ? null : confirmUnlock ? (
            <div className="actions" role="group" aria-label="Confirm the unlock">
              <p>
                Unlock this couple's phone and email for {creditWord(cost)}?
                {props.credits != null ? ` You have ${creditWord(props.credits)}.` : ""}
              </p>
              <button
                type="button"
                className="primary"
                disabled={props.busy}
                onClick={() => {
                  setConfirmUnlock(false);
                  props.onUnlock?.();
                }}
              >
                Yes, unlock for {creditWord(cost)}
              </button>
              <button type="button" onClick={() => setConfirmUnlock(false)}>
                Cancel
              </button>
            </div>
          ) : (
            <button type="button" className="primary" disabled={props.busy} onClick={() => setConfirmUnlock(true)}>
              Unlock contact ({creditWord(cost)})
            </button>
          )}
          {i.choseOtherAt ? (
            <p className="warn" data-testid="chose-other">
              The couple booked another DJ; this date is free again.
            </p>
          ) : null}
          <DjLeadThread
            leadId={i.leadId}
            closed={i.choseOtherAt ? "The couple booked another DJ; this conversation is closed." : null}
          />
        </>
      ) : null}
    </li>
  );
}
