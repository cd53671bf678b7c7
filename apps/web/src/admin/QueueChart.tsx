// The waiting room's length and the numbers admitted since this page opened, drawn with uPlot
// from each update the dashboard gets (the report and the WebSocket's queue frames); the server
// keeps no history of the line, so the chart starts when the page does. A screen reader gets
// the numbers in words.
import { useEffect, useState } from 'react';
import type uPlot from 'uplot';
import type { QueueReport } from '@ticketmain/protocol';
import { UplotChart } from './UplotChart';

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

const OPTIONS: Omit<uPlot.Options, 'width' | 'height'> = {
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
};

export function QueueChart({ queue }: { queue: QueueReport }) {
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

  const peak = Math.max(0, ...samples.map((s) => s.waiting));
  return (
    <figure className="admin-chart admin-queue-chart">
      <UplotChart options={OPTIONS} data={data} height={140} minWidth={260} testId="queue-chart" />
      <figcaption>
        The line since this page opened: {queue.waiting.toLocaleString('en-US')} waiting now, at
        most {peak.toLocaleString('en-US')}; {queue.admitted.toLocaleString('en-US')} admitted.
      </figcaption>
    </figure>
  );
}
