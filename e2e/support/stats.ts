// Percentiles for the measurements the tests print.
export interface Summary {
  count: number;
  p50: number;
  p95: number;
  max: number;
  mean: number;
}

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    count: sorted.length,
    p50: round(at(0.5)),
    p95: round(at(0.95)),
    max: round(sorted[sorted.length - 1] ?? 0),
    mean: round(sorted.length === 0 ? 0 : sum / sorted.length),
  };
}

export function formatSummary(s: Summary, unit = 'ms'): string {
  return `p50 ${s.p50} ${unit}, p95 ${s.p95} ${unit}, max ${s.max} ${unit} (n=${s.count})`;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
