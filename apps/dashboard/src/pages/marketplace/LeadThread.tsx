// The conversation between a couple and one DJ who quoted, shown on both sides. The server hides
// email addresses and phone numbers until the DJ has unlocked the contact or been booked; a
// message it changed says so.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { messageOf, useTRPC } from "../../trpc";

export interface ThreadMessage {
  id: string;
  sender: string;
  body: string;
  redacted: boolean;
  createdAt: string | Date;
}

const when = (d: string | Date) =>
  new Date(d).toLocaleString(undefined, { month: "short", day: "numeric", hour: "numeric", minute: "2-digit" });

export function LeadThread(props: {
  messages: ThreadMessage[];
  /** Who is reading: their own messages say "You". */
  me: "couple" | "dj";
  otherName: string;
  busy: boolean;
  error?: string | null;
  closed?: string | null;
  onSend: (body: string) => Promise<unknown>;
}) {
  const [body, setBody] = useState("");
  const id = useId();
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!body.trim()) return;
    // A refused message stays in the box, with the error shown below it.
    await props.onSend(body.trim()).then(
      () => setBody(""),
      () => undefined,
    );
  }
  return (
    <div className="thread" aria-label={`Messages with ${props.otherName}`} role="region">
      {props.messages.length > 0 ? (
        <ol className="thread-messages">
          {props.messages.map((m) => (
            <li key={m.id} data-testid="thread-message">
              <strong>{m.sender === props.me ? "You" : props.otherName}</strong>{" "}
              <span className="hint">{when(m.createdAt)}</span>
              <p className="wrap-anywhere">{m.body}</p>
              {m.redacted ? (
                <p className="hint">
                  Contact details were hidden: they are shared once the DJ is booked or unlocks them.
                </p>
              ) : null}
            </li>
          ))}
        </ol>
      ) : null}
      {props.closed ? (
        <p className="hint">{props.closed}</p>
      ) : (
        <form onSubmit={(e) => void submit(e)} noValidate>
          <div className="field">
            <label htmlFor={id}>Message to {props.otherName}</label>
            <textarea id={id} rows={2} maxLength={2000} value={body} onChange={(e) => setBody(e.target.value)} />
          </div>
          {props.error ? (
            <p className="error" role="alert">
              {props.error}
            </p>
          ) : null}
          <button type="submit" disabled={props.busy || !body.trim()}>
            Send message
          </button>
        </form>
      )}
    </div>
  );
}

/** The DJ's side of one lead's thread (accepted leads in the inbox). */
export function DjLeadThread({ leadId, closed }: { leadId: string; closed?: string | null }) {
  const trpc = useTRPC();
  const qc = useQueryClient();
  const thread = useQuery({ ...trpc.marketDj.messages.queryOptions({ leadId }), refetchInterval: 60_000 });
  const send = useMutation(
    trpc.marketDj.sendMessage.mutationOptions({
      onSettled: () => qc.invalidateQueries(trpc.marketDj.messages.queryFilter({ leadId })),
    }),
  );
  return (
    <LeadThread
      me="dj"
      otherName="the couple"
      messages={thread.data ?? []}
      busy={send.isPending}
      error={send.error ? messageOf(send.error) : null}
      closed={closed}
      onSend={(body) => send.mutateAsync({ leadId, body })}
    />
  );
}
