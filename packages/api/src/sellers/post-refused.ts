// Why a post is refused, with the HTTP status each gets (mapped in one place, the REST route).
// Every refusal is decided before anything is written, or rolls back what was.
import type { PostRefusal } from "@leadflow/engine";

export const POST_REFUSAL_STATUS: Record<PostRefusal, number> = {
  // Another seller's ping is answered like an unknown one: a pingId tells nobody else anything.
  PING_UNKNOWN: 404,
  PING_EXPIRED: 410,
  PING_USED: 409,
  PING_NOT_ACCEPTED: 409,
  PING_MISMATCH: 422,
};

export class PostRefused extends Error {
  constructor(
    public readonly code: PostRefusal,
    message: string,
    public readonly fieldErrors?: Record<string, string[]>,
  ) {
    super(message);
    this.name = "PostRefused";
  }
}
