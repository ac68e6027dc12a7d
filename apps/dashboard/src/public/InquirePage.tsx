import { useMutation, useQuery } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { Field } from "../components/Field";
import { fieldErrorsOf, messageOf, useTRPC } from "../trpc";
import { EVENT_TYPE_LABELS } from "../labels";
import { InquiryConsent, inquiryConsentValue } from "./InquiryConsent";

const num = (v: string) => (v.trim() === "" ? null : Number(v));

/** One form to ask several DJs at once; the answer is a private link to compare their replies. */
export function InquirePage() {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const cities = useQuery(trpc.marketPublic.cities.queryOptions());
  const [f, setF] = useState({
    name: "",
    email: "",
    phone: "",
    city: params.get("city") ?? "",
    eventType: params.get("eventType") ?? "wedding",
    eventDate: "",
    budgetMin: "",
    budgetMax: "",
    guests: "",
    venue: "",
    notes: "",
  });
  const [consented, setConsented] = useState(false);
  const set = (k: keyof typeof f) => (e: { target: { value: string } }) => setF({ ...f, [k]: e.target.value });
  const inquire = useMutation(
    trpc.marketPublic.inquire.mutationOptions({ onSuccess: (r) => void navigate(r.comparisonPath) }),
  );
  const errs = fieldErrorsOf(inquire.error);
  const cityId = useId();
  const typeId = useId();
  const notesId = useId();
  const city = f.city || cities.data?.[0]?.city || "";
  function submit(e: FormEvent) {
    e.preventDefault();
    const state = cities.data?.find((c) => c.city === city)?.state ?? null;
    inquire.mutate({
      name: f.name,
      email: f.email,
      phone: f.phone || null,
      city,
      state,
      eventType: f.eventType as "wedding",
      eventDate: f.eventDate,
      budgetMinDollars: num(f.budgetMin),
      budgetMaxDollars: num(f.budgetMax),
      guestCount: num(f.guests),
      venueName: f.venue || null,
      notes: f.notes || null,
      fromCalculator: params.get("from") === "calculator",
      consent: inquiryConsentValue(consented),
    });
  }
  return (
    <section>
      <h1>Get quotes from local DJs</h1>
      <p>
        Tell us about your event once. Available DJs answer with a quote on a private page; your contact details stay
        hidden until a DJ you hear from unlocks them.
      </p>
      <form onSubmit={submit} noValidate className="card">
        <Field label="Your name" autoComplete="name" value={f.name} onChange={set("name")} errors={errs.name} />
        <Field
          label="Email"
          type="email"
          autoComplete="email"
          value={f.email}
          onChange={set("email")}
          errors={errs.email}
          required
          hint="We email you the link to your quotes now, and again at each new quote."
        />
        <Field
          label="Phone (optional)"
          type="tel"
          autoComplete="tel"
          value={f.phone}
          onChange={set("phone")}
          errors={errs.phone}
          hint="For a text message at each new quote. DJs see it only once they unlock your details."
        />
        <div className="field">
          <label htmlFor={cityId}>City</label>
          <select id={cityId} value={city} onChange={set("city")}>
            {cities.data?.map((c) => (
              <option key={c.city} value={c.city}>
                {c.city}, {c.state}
              </option>
            ))}
          </select>
          {errs.city ? (
            <p className="error" role="alert">
              {errs.city.join(" ")}
            </p>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor={typeId}>Event</label>
          <select id={typeId} value={f.eventType} onChange={set("eventType")}>
            {Object.entries(EVENT_TYPE_LABELS).map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
        </div>
        <Field label="Event date" type="date" value={f.eventDate} onChange={set("eventDate")} errors={errs.eventDate} />
        <Field
          label="Budget from ($)"
          type="number"
          inputMode="numeric"
          min={0}
          value={f.budgetMin}
          onChange={set("budgetMin")}
          errors={errs.budgetMinDollars}
        />
        <Field
          label="Budget up to ($)"
          type="number"
          inputMode="numeric"
          min={0}
          value={f.budgetMax}
          onChange={set("budgetMax")}
          errors={errs.budgetMaxDollars}
        />
        <Field
          label="Guests"
          type="number"
          inputMode="numeric"
          min={1}
          value={f.guests}
          onChange={set("guests")}
          errors={errs.guestCount}
        />
        <Field label="Venue" value={f.venue} onChange={set("venue")} errors={errs.venueName} />
        <div className="field">
          <label htmlFor={notesId}>Anything else DJs should know</label>
          <textarea id={notesId} rows={3} value={f.notes} onChange={set("notes")} />
        </div>
        <InquiryConsent checked={consented} onChange={setConsented} errors={errs.consent} />
        {inquire.error && !Object.keys(errs).length ? (
          <p className="error" role="alert">
            {messageOf(inquire.error)}
          </p>
        ) : null}
        <button type="submit" className="primary" disabled={inquire.isPending}>
          Ask DJs for quotes
        </button>
      </form>
    </section>
  );
}
