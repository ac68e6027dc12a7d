import { useMutation, useQuery } from "@tanstack/react-query";
import { useEffect, useId, useState } from "react";
import { Link } from "react-router";
import { messageOf, useTRPC } from "../trpc";
import { EVENT_TYPE_LABELS } from "../labels";

/** The public price calculator: what DJs in a city charge, and a way to ask them. */
export function PricesPage() {
  const trpc = useTRPC();
  const cities = useQuery(trpc.marketPublic.cities.queryOptions());
  const [city, setCity] = useState("");
  const [eventType, setEventType] = useState("wedding");
  const cityId = useId();
  const typeId = useId();
  const chosen = city || cities.data?.[0]?.city || "";
  const guidance = useQuery({
    ...trpc.marketPublic.priceGuidance.queryOptions({ city: chosen, eventType: eventType as "wedding" }),
    enabled: chosen !== "",
  });
  const viewed = useMutation(trpc.marketPublic.calculatorViewed.mutationOptions());
  const { mutate } = viewed;
  // One count per city per visit, for the calculator → inquiry funnel.
  useEffect(() => {
    if (!chosen) return;
    const key = `lf-calc-${chosen}`;
    if (sessionStorage.getItem(key)) return;
    sessionStorage.setItem(key, "1");
    mutate({ city: chosen });
  }, [chosen, mutate]);
  return (
    <section>
      <h1>What does a DJ cost?</h1>
      <p>Pick your city and event to see what local DJs charge, then ask them for quotes with one form.</p>
      {cities.isError ? (
        <p className="error" role="alert">
          {messageOf(cities.error)}
        </p>
      ) : null}
      <div className="field">
        <label htmlFor={cityId}>City</label>
        <select id={cityId} value={chosen} onChange={(e) => setCity(e.target.value)}>
          {cities.data?.map((c) => (
            <option key={c.city} value={c.city}>
              {c.city}, {c.state}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={typeId}>Event</label>
        <select id={typeId} value={eventType} onChange={(e) => setEventType(e.target.value)}>
          {Object.entries(EVENT_TYPE_LABELS).map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </select>
      </div>
      <div className="notice" role="status" aria-live="polite">
        {!chosen ? (
          <p>{cities.isPending ? "Looking up cities…" : "No DJs are listed yet."}</p>
        ) : guidance.isPending ? (
          <p>Looking up prices…</p>
        ) : guidance.data?.guidance ? (
          <p className="guidance">{guidance.data.guidance.sentence}</p>
        ) : (
          <p>We don't have enough recent bookings in {chosen || "this city"} to show a range yet.</p>
        )}
        <p className="hint">Every DJ sets their own price; this is what recent bookings and quotes looked like.</p>
      </div>
      <p>
        <Link
          className="button-link primary"
          to={`/inquire?city=${encodeURIComponent(chosen)}&eventType=${eventType}&from=calculator`}
        >
          Get quotes from DJs in {chosen || "your city"}
        </Link>
      </p>
    </section>
  );
}
