// Colours of the seat map, shared by the canvas and the legend. Status is never told by colour
// alone: every non-available status also has its own mark (see glyphs.ts).
/** Price categories, most expensive first. */
export const CATEGORY_COLORS = [
  '#8b5cf6',
  '#f97316',
  '#10b981',
  '#ec4899',
  '#eab308',
  '#06b6d4',
  '#84cc16',
  '#f43f5e',
] as const;

export function categoryColor(index: number): string {
  return CATEGORY_COLORS[index % CATEGORY_COLORS.length] ?? CATEGORY_COLORS[0];
}

export const COLORS = {
  background: '#f5f7fb',
  stage: '#1f2937',
  stageText: '#f9fafb',
  mine: '#1d4ed8',
  mineMark: '#ffffff',
  held: '#d4d9e2',
  heldMark: '#4b5563',
  sold: '#374151',
  soldMark: '#f9fafb',
  soldToMe: '#0f2a6b',
  soldToMeMark: '#fcd34d',
  label: '#1f2937',
  rowLabel: '#4b5563',
  rowPin: '#374151',
  rowPinText: '#f9fafb',
  hover: '#111827',
  focus: '#111827',
  focusHalo: '#ffffff',
  /** The ring around the seats a "Best available" pick just held: amber, seen on every fill. */
  picked: '#f59e0b',
} as const;

/** Dark or white text, whichever reads better on `hex` (WCAG relative luminance). */
export function inkOn(hex: string): '#111827' | '#ffffff' {
  const n = Number.parseInt(hex.slice(1), 16);
  const channel = (v: number) => {
    const c = v / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const l =
    0.2126 * channel((n >> 16) & 255) +
    0.7152 * channel((n >> 8) & 255) +
    0.0722 * channel(n & 255);
  // Contrast against white (1.05 / (l + 0.05)) against the dark ink (~(l + 0.05) / 0.0156).
  return 1.05 / (l + 0.05) >= (l + 0.05) / 0.0156 ? '#ffffff' : '#111827';
}
