// Orders per minute over the last hour, drawn with uPlot; a screen reader gets the numbers in
// words (the chart itself is an image to it).
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { MinuteReport } from '@ticketmain/protocol';

const HEIGHT = 180;

export function OrdersChart({ minutes }: { minutes: MinuteReport[] }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const data: uPlot.AlignedData = [
    minutes.map((m) => Date.parse(m.minute) / 1000),
    minutes.map((m) => m.orders),
    minutes.map((m) => m.tickets),
  ];

  useEffect(() => {
    const element = box.current;
    if (element === null) return;
    const chart = new uPlot(
      {
        width: Math.max(280, element.clientWidth),
        height: HEIGHT,
        legend: { show: true },
        cursor: { drag: { x: false, y: false } },
        scales: { y: { range: (_u, _min, max) => [0, Math.max(4, max * 1.15)] } },
        axes: [{}, { size: 44 }],
        series: [
          {},
          { label: 'Orders', stroke: '#1d4ed8', width: 2, fill: 'rgba(29, 78, 216, 0.12)' },
          { label: 'Tickets', stroke: '#059669', width: 1.5 },
        ],
      },
      data,
      element,
    );
    plot.current = chart;
    const observer = new ResizeObserver(() =>
      chart.setSize({ width: Math.max(280, element.clientWidth), height: HEIGHT }),
    );
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.destroy();
      plot.current = null;
    };
    // Created once; the data is pushed below.
  }, []);

  useEffect(() => {
    plot.current?.setData(data);
  });

  const last = minutes.at(-1);
  const peak = Math.max(0, ...minutes.map((m) => m.orders));
  const total = minutes.reduce((sum, m) => sum + m.orders, 0);
  return (
    <figure className="admin-chart">
      <div ref={box} aria-hidden="true" data-testid="orders-chart" />
      <figcaption>
        Orders per minute, last hour: {total.toLocaleString('en-US')} in all, {last?.orders ?? 0} in
        the current minute, at most {peak} in one minute.
      </figcaption>
    </figure>
  );
}
