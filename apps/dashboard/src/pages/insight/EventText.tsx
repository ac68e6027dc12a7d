// One lead event in words, for the admin's timeline and the buyers' and sellers' lead page alike:
// known kinds get a sentence, anything else its recorded fields by name, never raw JSON.
import {
  CLAIM_STAGE_TEXT,
  COMPLIANCE_REQUIREMENT_TEXT,
  CONSENT_CLAIM_STATUS_TEXT,
  labelOf,
  LITIGATOR_STATUS_TEXT,
  RETURN_REASON_TEXT,
} from "../../labels";
import { fieldName, fieldValue, money, ms, reasonText, show, when } from "./format";

type D = Record<string, unknown>;

const returnReasonText = (r: unknown) =>
  typeof r === "string" && r in RETURN_REASON_TEXT ? RETURN_REASON_TEXT[r as keyof typeof RETURN_REASON_TEXT] : show(r);

/** What one entry says. Known kinds get a sentence; anything else its recorded data, field by field. */
export function EventText({ kind, data, message }: { kind: string; data: D; message?: string | null | undefined }) {
  const d = data;
  const e = { kind, message };
  if (e.kind === "eligibility" && Array.isArray(d.verdicts))
    return <DjVerdicts message={e.message ?? ""} verdicts={d.verdicts as DjVerdict[]} />;
  if (e.message) {
    // A phase records how many DJs passed eligibility and who was passed over for a lock elsewhere.
    const passed = Array.isArray(d.passedOverLocked) ? d.passedOverLocked.length : 0;
    return (
      <span>
        {e.message}
        {e.kind === "phase_started" && typeof d.candidates === "number"
          ? ` ${d.candidates} DJ${d.candidates === 1 ? " was" : "s were"} eligible.`
          : ""}
        {passed > 0 ? ` ${passed} passed over: another lead held their date.` : ""}
      </span>
    );
  }
  switch (e.kind) {
    case "intake":
      return (
        <span>
          received and validated: {show(d.vertical)} lead in {show(d.zip)}
        </span>
      );
    case "eligibility":
      return d.eligible ? (
        <span className="ok">eligible — {show(d.detail)}</span>
      ) : (
        <span>
          not eligible: <strong>{reasonText(d.reason as string)}</strong> — {show(d.detail)}
        </span>
      );
    case "ping":
      return (
        <span>
          ping answered <strong>{show(d.outcome)}</strong> in <span data-testid="ping-latency">{ms(d.latencyMs)}</span>
          {d.bidCents != null ? <> · bid {money(d.bidCents as number)}</> : null}
          {d.detail ? <> · {show(d.detail)}</> : null}
        </span>
      );
    case "bid_set_aside":
      return (
        <span>
          bid set aside: <strong>{reasonText(d.reason as string)}</strong> — {show(d.detail)}
        </span>
      );
    case "cascade_step":
      return (
        <span>
          {d.via ? `sold on its ${String(d.via)} (a claim, no POST)` : `POST #${show(d.position)}`} at{" "}
          {money(d.bidCents as number)}:{" "}
          {d.accepted ? (
            <strong className="ok">accepted</strong>
          ) : (
            <strong className="danger">rejected ({reasonText(d.reason as string)})</strong>
          )}
          {d.detail ? <> — {show(d.detail)}</> : null}
        </span>
      );
    case "sale_refused":
      return (
        <span>
          sale refused before anything was sent: <strong>{reasonText(d.reason as string)}</strong> — {show(d.detail)}
        </span>
      );
    case "direct_claim":
      return (
        <span>
          direct {String(d.mode).toLowerCase()} delivery, slot {show(d.position)} at {money(d.priceCents as number)}:{" "}
          {d.accepted ? "claimed" : "refused"}
        </span>
      );
    case "purged":
      return <span>contact details purged: the vertical&apos;s retention period ended</span>;
    case "outcome":
      return (
        <span>
          <strong>{show(d.status)}</strong>
          {d.soldVia ? ` via ${String(d.soldVia).toLowerCase()}` : ""}
          {d.unsoldReason ? ` (${show(d.unsoldReason)})` : ""} · revenue {money(d.revenueCents as number)}
        </span>
      );
    case "delivery":
      return (
        <span>
          {String(d.method).toLowerCase()} delivery <strong>{show(d.status)}</strong> (attempt {show(d.attempts)})
          {d.error ? <> — {show(d.error)}</> : null}
        </span>
      );
    case "return_requested":
      return (
        <span>
          return requested: <strong>{returnReasonText(d.reason)}</strong>
          {d.comment ? <> — “{show(d.comment)}”</> : null}
        </span>
      );
    case "return_decided":
      return (
        <span>
          return <strong>{String(d.status).toLowerCase()}</strong>
          {d.by ? ` by ${show(d.by)}` : ""}
          {d.note ? <> — “{show(d.note)}”</> : null}
        </span>
      );
    case "return_credited":
      return <span>return credited: {money(d.amountCents as number)}</span>;
    case "consent_claim":
      return (
        <span data-testid="compliance-receipt">
          compliance receipt: {labelOf(COMPLIANCE_REQUIREMENT_TEXT, d.provider as string)}{" "}
          <strong className={d.status === "CLAIMED" ? "ok" : "danger"}>
            {labelOf(CONSENT_CLAIM_STATUS_TEXT, d.status as string).toLowerCase()}
          </strong>{" "}
          {labelOf(CLAIM_STAGE_TEXT, d.stage as string)}
          {d.retainedUntil ? <> · retained until {when(d.retainedUntil as string)}</> : null}
          {d.pageUrl ? <> · consent given on {show(d.pageUrl)}</> : null}
          {d.matched === true ? " · matches the lead" : d.matched === false ? " · does not match the lead" : null}
          {d.namesBuyer === true
            ? ` · the consent text names ${show(d.buyerName)}`
            : d.namesBuyer === false
              ? ` · the consent text does not name ${show(d.buyerName)}`
              : null}
          {d.error ? <> — {show(d.error)}</> : null}
        </span>
      );
    case "litigator_check":
      return (
        <span data-testid="litigator-check">
          litigator check:{" "}
          <strong className={d.status === "CLEAR" ? "ok" : d.status === "NOT_CHECKED" ? undefined : "danger"}>
            {labelOf(LITIGATOR_STATUS_TEXT, d.status as string)}
          </strong>
          {d.codes ? <> ({show(d.codes)})</> : null}
          {d.error ? <> — {show(d.error)}</> : null}
          {d.status === "ERROR"
            ? d.failOpen
              ? " · let through: the vertical fails open"
              : " · refused to every buyer: the vertical fails closed"
            : null}
          {typeof d.ms === "number" ? ` · ${ms(d.ms)}` : null}
        </span>
      );
    case "seller_webhook":
      return (
        <span>
          seller's webhook {show(d.eventType)} <strong>{d.status === "delivered" ? "delivered" : "given up"}</strong>{" "}
          (attempt {show(d.attempts)}){d.error ? <> — {show(d.error)}</> : null}
        </span>
      );
    default:
      return <Generic kind={e.kind} data={d} />;
  }
}

type DjVerdict = { djId: string; name: string; eligible: boolean; failures: { rule: string; detail: string }[] };

/** A DJ lead's eligibility: every DJ checked, the left-out ones with each failing rule. */
function DjVerdicts({ message, verdicts }: { message: string; verdicts: DjVerdict[] }) {
  return (
    <span>
      {message}
      <ul>
        {verdicts.map((v) => (
          <li key={v.djId} data-testid="dj-verdict">
            {v.name}:{" "}
            {v.eligible ? (
              <span className="ok">eligible</span>
            ) : (
              <strong>{v.failures.map((f) => f.detail).join(" ")}</strong>
            )}
          </li>
        ))}
      </ul>
    </span>
  );
}

function Generic({ kind, data }: { kind: string; data: D }) {
  const fields = Object.entries(data);
  return (
    <span>
      <strong>{kind.replace(/_/g, " ")}</strong>
      {fields.length ? ": " : ""}
      {fields.map(([k, v], i) => (
        <span key={k}>
          {i ? "; " : ""}
          {fieldName(k)}: {fieldValue(k, v)}
        </span>
      ))}
    </span>
  );
}
