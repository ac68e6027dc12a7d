// What call tracking needs from the server's settings. The REST route receives it; tests build it.
import { DEFAULT_CALL_THRESHOLDS, REPEAT_CALLER_WINDOW_DAYS, type CallThresholds } from "@leadflow/engine";

export interface CallSettings {
  /** The voice provider's auth token; without it the webhook refuses every request (503). */
  authToken: string | null;
  /** Key of the caller-number HMAC. Changing it starts every caller afresh (no repeat matches). */
  callerHashSecret: string;
  thresholds: CallThresholds;
  repeatWindowDays: number;
}

export function defaultCallSettings(
  over: Partial<CallSettings> & Pick<CallSettings, "callerHashSecret">,
): CallSettings {
  return {
    authToken: null,
    thresholds: { ...DEFAULT_CALL_THRESHOLDS },
    repeatWindowDays: REPEAT_CALLER_WINDOW_DAYS,
    ...over,
  };
}
