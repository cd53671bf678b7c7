// The waiting room's length and the numbers admitted since this page opened, drawn with uPlot
// from each update the dashboard gets (the report and the WebSocket's queue frames); the server
// keeps no history of the line, so the chart starts when the page does. A screen reader gets
// the numbers in words.
import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { QueueReport } from '@ticketmain/protocol';

const HEIGHT = 140;
/** Samples kept: at a few a second at most, a good while of the line. */
const MAX_SAMPLES = 2_000;
const clock = new Intl.DateTimeFormat('en-US', {
  hour: 'numeric',
  minute: '2-digit',
  second: '2-digit',
});

interface Sample {
  at: number;
  waiting: number;
  admitted: number;
}

export function QueueChart({ queue }: { queue: QueueReport }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const [samples, setSamples] = useState<Sample[]>([]);

  useEffect(() => {
    setSamples((old) => {
      const next = [
        ...old,
        { at: Date.now() / 1000, waiting: queue.waiting, admitted: queue.admitted },
      ];
      return next.length > MAX_SAMPLES ? next.slice(-MAX_SAMPLES) : next;
    });
  }, [queue.waiting, queue.admitted]);

  const data: uPlot.AlignedData = [
    samples.map((s) => s.at),
    samples.map((s) => s.waiting),
    samples.map((s) => s.admitted),
  ];

  useEffect(() => {
    const element = box.current;
    if (element === null) return;
    const chart = new uPlot(
      {
        width: Math.max(260, element.clientWidth),
        height: HEIGHT,
        legend: { show: true },
        cursor: { drag: { x: false, y: false } },
        scales: {
          // At least a minute wide from the first sample: the line fills it as the page stays open.
          x: { time: true, range: (_u, min, max) => [min, Math.max(max, min + 60)] },
          y: { range: (_u, _min, max) => [0, Math.max(4, max * 1.15)] },
        },
        axes: [
          { space: 90, values: (_u, splits) => splits.map((s) => clock.format(s * 1000)) },
          { size: 52 },
        ],
        series: [
          {},
          {
            label: 'Waiting',
            stroke: '#b45309',
            width: 2,
            fill: 'rgba(180, 83, 9, 0.12)',
            points: { show: false },
          },
          { label: 'Admitted', stroke: '#1d4ed8', width: 1.5, points: { show: false } },
        ],
      },
      [[], [], []],
      element,
    );
    plot.current = chart;
    const observer = new ResizeObserver(() =>
      chart.setSize({ width: Math.max(260, element.clientWidth), height: HEIGHT }),
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

  const peak = Math.max(0, ...samples.map((s) => s.waiting));
  return (
    <figure className="admin-chart admin-queue-chart">
      <div ref={box} aria-hidden="true" data-testid="queue-chart" />
      <figcaption>
        The line since this page opened: {queue.waiting.toLocaleString('en-US')} waiting now, at
        most {peak.toLocaleString('en-US')}; {queue.admitted.toLocaleString('en-US')} admitted.
      </figcaption>
    </figure>
  );
}
