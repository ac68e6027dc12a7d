// How buyers behave: whether they bid when asked and keep the leads they win, how fast they
// answer pings and how often they time out, and how deep the POST cascade goes.
import { useQuery } from "@tanstack/react-query";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useTRPC } from "../../trpc";
import { ChartCard, type Column } from "./ChartCard";
import { useFilters } from "./filters";
import { AnalyticsPage, AXIS, pct, rate4 } from "./shared";

export function BuyersAnalytics() {
  const trpc = useTRPC();
  const [input] = useFilters();
  const q = useQuery({ ...trpc.analytics.buyerPerformance.queryOptions(input), refetchInterval: 60_000 });
  return (
    <AnalyticsPage
      title="Buyer analytics"
      intro="From every buyer's recorded pings, bids and POSTs. Days are UTC days."
      query={q}
    >
      {() => {
        const d = q.data!;
        type B = (typeof d.buyers)[number];
        const rates = d.buyers.map((b) => ({
          ...b,
          acceptancePct: b.acceptanceRate == null ? 0 : Math.round(b.acceptanceRate * 1000) / 10,
          postRejectPct: b.postRejectRate == null ? 0 : Math.round(b.postRejectRate * 1000) / 10,
        }));
        const pinged = d.buyers.filter((b) => b.pings > 0);
        const rateCols: Column<B>[] = [
          { label: "Buyer", value: (b) => b.buyer },
          { label: "Asked", value: (b) => b.asked },
          { label: "Bids", value: (b) => b.bids },
          { label: "Acceptance", value: (b) => rate4(b.acceptanceRate), format: (b) => pct(b.acceptanceRate) },
          { label: "Won", value: (b) => b.wins },
          { label: "POSTs", value: (b) => b.posts },
          { label: "POSTs rejected", value: (b) => b.postsRejected },
          { label: "Post-reject rate", value: (b) => rate4(b.postRejectRate), format: (b) => pct(b.postRejectRate) },
        ];
        const timeoutCols: Column<B>[] = [
          { label: "Buyer", value: (b) => b.buyer },
          { label: "Pings", value: (b) => b.pings },
          { label: "Timeouts", value: (b) => b.timeouts },
          { label: "Timeout rate", value: (b) => rate4(b.timeoutRate), format: (b) => pct(b.timeoutRate) },
          { label: "Errors", value: (b) => b.errors },
          { label: "Mean latency (ms)", value: (b) => b.meanLatencyMs },
        ];
        const noRows =
          "Nothing was recorded for any buyer in these days with these filters: try a longer range, or another vertical or buyer.";
        const latencyTotal = d.latency.reduce((a, x) => a + x.count, 0);
        const cascadeTotal = d.cascade.reduce((a, x) => a + x.accepted + x.rejected, 0);
        return (
          <>
            <ChartCard
              title="Acceptance and post-reject rate by buyer"
              caption="Acceptance: the share of the leads a buyer was asked about (pinged, or offered as a contractor) that it bid on. Post-reject rate: the share of the POSTs sent to a network that it refused."
              file="buyer-acceptance"
              rows={d.buyers}
              columns={rateCols}
              rowKey={(b) => b.buyerId}
              empty={noRows}
              chart={
                <ResponsiveContainer width="100%" height={340}>
                  <BarChart data={rates} margin={{ left: 8, right: 8, bottom: 56 }}>
                    <CartesianGrid strokeDasharray="3 3" />
                    <XAxis dataKey="buyer" tick={AXIS} angle={-30} textAnchor="end" interval={0} height={70} />
                    <YAxis
                      unit="%"
                      domain={[0, 100]}
                      tick={AXIS}
                      label={{ value: "Share", angle: -90, position: "insideLeft" }}
                    />
                    <Tooltip />
                    <Legend verticalAlign="top" />
                    <Bar dataKey="acceptancePct" name="Acceptance (%)" fill="#0b5cad" isAnimationActive={false} />
                    <Bar dataKey="postRejectPct" name="Post-reject rate (%)" fill="#c4320a" isAnimationActive={false} />
                  </BarChart>
                </ResponsiveContainer>
              }
            />
            <ChartCard
              title="Ping latency"
              caption="How long networks took to answer a ping, in bands; a timeout counts at the buyer's time limit."
              file="ping-latency"
              rows={latencyTotal > 0 ? d.latency : []}
              columns={[
                { label: "Latency", value: (x) => x.band },
                { label: "Pings", value: (x) => x.count },
              ]}
              rowKey={(x) => x.band}
              empty="No network was pinged in these days with these filters, so there is no latency to show."
              chart={
                <ResponsiveContainer width="100%" height={300}>
                  <BarChart data={d.latency} margin={{ left: 8, right: 8, bottom: 24 }}>
                    <CartesianGrid strokeDasharray="3 3" />
                    <XAxis
                      dataKey="band"
                      tick={AXIS}
                      label={{ value: "Latency", position: "insideBottom", offset: -16 }}
                    />
                    <YAxis
                      allowDecimals={false}
                      tick={AXIS}
                      label={{ value: "Pings", angle: -90, position: "insideLeft" }}
                    />
                    <Tooltip />
                    <Bar dataKey="count" name="Pings" fill="#155b75" isAnimationActive={false} />
                  </BarChart>
                </ResponsiveContainer>
              }
            />
            <ChartCard
              title="Timeouts by buyer"
              caption="Pings a network did not answer in time, beside its errors and mean latency."
              file="timeouts-by-buyer"
              rows={pinged}
              columns={timeoutCols}
              rowKey={(b) => b.buyerId}
              empty="No network was pinged in these days with these filters."
              chart={
                <ResponsiveContainer width="100%" height={320}>
                  <BarChart data={pinged} margin={{ left: 8, right: 8, bottom: 56 }}>
                    <CartesianGrid strokeDasharray="3 3" />
                    <XAxis dataKey="buyer" tick={AXIS} angle={-30} textAnchor="end" interval={0} height={70} />
                    <YAxis
                      allowDecimals={false}
                      tick={AXIS}
                      label={{ value: "Pings", angle: -90, position: "insideLeft" }}
                    />
                    <Tooltip />
                    <Legend verticalAlign="top" />
                    <Bar dataKey="timeouts" name="Timeouts" fill="#b42318" isAnimationActive={false} />
                    <Bar dataKey="errors" name="Errors" fill="#8a93a3" isAnimationActive={false} />
                  </BarChart>
                </ResponsiveContainer>
              }
            />
            <ChartCard
              title="Cascade depth"
              caption="POSTs by their place in a lead's cascade: position 1 is the best bid, 2 the next one asked after a refusal, and so on. An accepted POST at position n is a lead sold n deep."
              file="cascade-depth"
              rows={cascadeTotal > 0 ? d.cascade : []}
              columns={[
                { label: "Position", value: (x) => x.position },
                { label: "Accepted", value: (x) => x.accepted },
                { label: "Rejected", value: (x) => x.rejected },
              ]}
              rowKey={(x) => x.position}
              empty="No lead went to a POST in these days with these filters."
              chart={
                <ResponsiveContainer width="100%" height={300}>
                  <BarChart data={d.cascade} margin={{ left: 8, right: 8, bottom: 24 }}>
                    <CartesianGrid strokeDasharray="3 3" />
                    <XAxis
                      dataKey="position"
                      tick={AXIS}
                      label={{ value: "Cascade position", position: "insideBottom", offset: -16 }}
                    />
                    <YAxis
                      allowDecimals={false}
                      tick={AXIS}
                      label={{ value: "POSTs", angle: -90, position: "insideLeft" }}
                    />
                    <Tooltip />
                    <Legend verticalAlign="top" />
                    <Bar dataKey="accepted" name="Accepted" stackId="p" fill="#027a48" isAnimationActive={false} />
                    <Bar dataKey="rejected" name="Rejected" stackId="p" fill="#c4320a" isAnimationActive={false} />
                  </BarChart>
                </ResponsiveContainer>
              }
            />
          </>
        );
      }}
    </AnalyticsPage>
  );
}
