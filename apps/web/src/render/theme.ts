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
  hover: '#111827',
  focus: '#111827',
  focusHalo: '#ffffff',
} as const;
