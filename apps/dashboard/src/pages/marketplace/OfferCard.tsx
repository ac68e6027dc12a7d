import { useEffect, useId, useState } from "react";
import { EVENT_TYPE_LABELS, labelOf } from "../../labels";
import { usd } from "../../public/PublicRoutes";

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
}) {
  const { item: i } = props;
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
              <p data-testid="customer-contact">
                <strong>{i.contact.name}</strong>
                {i.contact.email ? ` · ${i.contact.email}` : ""}
                {i.contact.phone ? ` · ${i.contact.phone}` : ""}
              </p>
              {i.leadState === "converted" ? (
                <p className="ok">Booked.</p>
              ) : i.leadState === "accepted" && props.onBooked ? (
                <button type="button" disabled={props.busy} onClick={props.onBooked}>
                  They booked me{i.quoteCents != null ? ` for ${usd(i.quoteCents)}` : ""}
                </button>
              ) : null}
            </>
          ) : (
            <button type="button" className="primary" disabled={props.busy} onClick={props.onUnlock}>
              Unlock contact (1 credit)
            </button>
          )}
        </>
      ) : null}
    </li>
  );
}
