// Orders per minute over the last hour, drawn with uPlot; a screen reader gets the numbers in
// words (the chart itself is an image to it).
import type uPlot from 'uplot';
import type { MinuteReport } from '@ticketmain/protocol';
import { UplotChart } from './UplotChart';

const OPTIONS: Omit<uPlot.Options, 'width' | 'height'> = {
  legend: { show: true },
  cursor: { drag: { x: false, y: false } },
  scales: { y: { range: (_u, _min, max) => [0, Math.max(4, max * 1.15)] } },
  axes: [{}, { size: 44 }],
  series: [
    {},
    { label: 'Orders', stroke: '#1d4ed8', width: 2, fill: 'rgba(29, 78, 216, 0.12)' },
    { label: 'Tickets', stroke: '#059669', width: 1.5 },
  ],
};

export function OrdersChart({ minutes }: { minutes: MinuteReport[] }) {
  const data: uPlot.AlignedData = [
    minutes.map((m) => Date.parse(m.minute) / 1000),
    minutes.map((m) => m.orders),
    minutes.map((m) => m.tickets),
  ];
  const last = minutes.at(-1);
  const peak = Math.max(0, ...minutes.map((m) => m.orders));
  const total = minutes.reduce((sum, m) => sum + m.orders, 0);
  return (
    <figure className="admin-chart">
      <UplotChart options={OPTIONS} data={data} height={180} minWidth={280} testId="orders-chart" />
      <figcaption>
        Orders per minute, last hour: {total.toLocaleString('en-US')} in all, {last?.orders ?? 0} in
        the current minute, at most {peak} in one minute.
      </figcaption>
    </figure>
  );
}
