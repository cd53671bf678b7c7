// The layout generator's form as typed (strings), turned into the generator's specs in cents and
// whole numbers, or into the first thing wrong with it, said the way the organiser named it.
import { MAX_GA_CAPACITY } from '@ticketmain/protocol';
import type { AreaSpec, SectionSpec } from './generate-layout';

export const MAX_ROWS = 200;
export const MAX_SEATS_PER_ROW = 200;

export interface SectionForm {
  name: string;
  /** In whole units of the currency, as typed. */
  price: string;
  rows: string;
  seatsPerRow: string;
}

export interface AreaForm {
  name: string;
  /** In whole units of the currency, as typed. */
  price: string;
  capacity: string;
}

export const FIRST_SECTIONS: SectionForm[] = [
  { name: 'Front', price: '120', rows: '6', seatsPerRow: '16' },
  { name: 'Back', price: '60', rows: '10', seatsPerRow: '20' },
];

export const newSection = (n: number): SectionForm => ({
  name: `Section ${n}`,
  price: '50',
  rows: '8',
  seatsPerRow: '12',
});

export const newArea = (n: number): AreaForm => ({
  name: n === 1 ? 'Standing floor' : `Standing ${n}`,
  price: '40',
  capacity: '500',
});

/** A price typed in units, in cents; null when it is not one. */
function cents(typed: string): number | null {
  const price = Number(typed);
  return !Number.isFinite(price) || price < 0 ? null : Math.round(price * 100);
}

/** A whole number from 1 to `max` as typed; null when it is not one. */
function count(typed: string, max: number): number | null {
  const n = Number(typed);
  return typed.trim() === '' || !Number.isInteger(n) || n < 1 || n > max ? null : n;
}

function sectionSpec(form: SectionForm, i: number): SectionSpec | string {
  const name = form.name.trim();
  if (name === '') return `Section ${i + 1} needs a name.`;
  const price = cents(form.price);
  if (price === null) return `${name}: the price must be 0 or more.`;
  const rows = count(form.rows, MAX_ROWS);
  if (rows === null) return `${name}: rows must be a whole number from 1 to ${MAX_ROWS}.`;
  const seatsPerRow = count(form.seatsPerRow, MAX_SEATS_PER_ROW);
  if (seatsPerRow === null)
    return `${name}: seats per row must be a whole number from 1 to ${MAX_SEATS_PER_ROW}.`;
  return { name, price, rows, seatsPerRow };
}

function areaSpec(form: AreaForm, i: number): AreaSpec | string {
  const name = form.name.trim();
  if (name === '') return `General admission area ${i + 1} needs a name.`;
  const price = cents(form.price);
  if (price === null) return `${name}: the price must be 0 or more.`;
  const capacity = count(form.capacity, MAX_GA_CAPACITY);
  if (capacity === null)
    return `${name}: the capacity must be a whole number from 1 to ${MAX_GA_CAPACITY.toLocaleString('en-US')}.`;
  return { name, price, capacity };
}

export interface GeneratorSpecs {
  sections: SectionSpec[];
  areas: AreaSpec[];
}

/** The generator's sections and areas from the form, or the first thing wrong with them. */
export function generatorSpecs(
  sections: SectionForm[],
  areas: AreaForm[],
): GeneratorSpecs | string {
  const specs: GeneratorSpecs = { sections: [], areas: [] };
  for (const [i, form] of sections.entries()) {
    const spec = sectionSpec(form, i);
    if (typeof spec === 'string') return spec;
    specs.sections.push(spec);
  }
  for (const [i, form] of areas.entries()) {
    const spec = areaSpec(form, i);
    if (typeof spec === 'string') return spec;
    specs.areas.push(spec);
  }
  if (specs.sections.length + specs.areas.length === 0)
    return 'Add at least one section or general admission area.';
  return specs;
}
