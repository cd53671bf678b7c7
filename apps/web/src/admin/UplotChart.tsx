// A uPlot chart as the console draws its charts: created once with its options, as wide as its
// box (never narrower than `minWidth`) and following its resizes, the data pushed on each render.
// Hidden from screen readers: each chart's caption says its numbers in words.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

interface Props {
  /** Read once, when the chart is created; width and height are set here. */
  options: Omit<uPlot.Options, 'width' | 'height'>;
  data: uPlot.AlignedData;
  height: number;
  minWidth: number;
  testId: string;
}

export function UplotChart({ options, data, height, minWidth, testId }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  // The first render's options and data: the chart is made once, in the effect below.
  const first = useRef({ options, data, height, minWidth });

  useEffect(() => {
    const element = box.current;
    if (element === null) return;
    const { options: initial, data: initialData, height: h, minWidth: least } = first.current;
    const width = () => Math.max(least, element.clientWidth);
    const chart = new uPlot({ ...initial, width: width(), height: h }, initialData, element);
    plot.current = chart;
    const observer = new ResizeObserver(() => chart.setSize({ width: width(), height: h }));
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.destroy();
      plot.current = null;
    };
  }, []);

  useEffect(() => {
    plot.current?.setData(data);
  });

  return <div ref={box} aria-hidden="true" data-testid={testId} />;
}
