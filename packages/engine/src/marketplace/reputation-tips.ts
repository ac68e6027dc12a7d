import type { DJMetrics } from "./responses";
import { FAST_RESPONSE_MS } from "./responses";

export interface ReputationTip {
  id: string;
  text: string;
}

/**
 * Plain-language tips for a DJ's dashboard. They say what helps, never how it is computed: no
 * formulas, weights, penalty amounts or window lengths, which would invite gaming and read as
 * price setting. Tips that fit this DJ come first, then the ones everybody sees.
 */
export function reputationTips(metrics: DJMetrics): ReputationTip[] {
  const tips: ReputationTip[] = [];
  if (metrics.ignoredCount > 0) {
    tips.push({
      id: "answer_every_offer",
      text: "Answer every offer, even with a quick decline. Offers left unanswered mean fewer offers later.",
    });
  }
  if (metrics.avgResponseTimeMs == null || metrics.avgResponseTimeMs >= FAST_RESPONSE_MS) {
    tips.push({ id: "respond_fast", text: "DJs who answer within an hour are offered more leads." });
  }
  if (metrics.reliability < 60) {
    tips.push({
      id: "recovering",
      text: "Recent missed or declined offers have lowered your place in the queue. It recovers as you answer new offers promptly.",
    });
  }
  if ((metrics.declineRate ?? 0) > 0.3) {
    tips.push({
      id: "calendar",
      text: "Keep your calendar and price range up to date, so the leads you are offered are ones you can take.",
    });
  }
  if (metrics.acceptedCount >= 3 && (metrics.conversionRate ?? 1) < 0.2) {
    tips.push({ id: "follow_up", text: "Following up soon after you accept helps turn leads into bookings." });
  }
  if (tips.length === 0) {
    tips.push({
      id: "keep_it_up",
      text: "You answer quickly and reliably. Keep it up to stay near the front of the queue.",
    });
  }
  tips.push(
    { id: "accurate_calendar", text: "An accurate calendar means more bookings: block the dates you cannot play." },
    {
      id: "pricing",
      text: "Prices in line with your local market are shown to more customers. You always set your own price.",
    },
  );
  return tips;
}
