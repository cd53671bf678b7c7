// A venue layout typed or uploaded as JSON: parsed, checked against the contract's schema, and
// every problem given with the line it is on, so the organiser can go straight to it.
import { Value } from '@sinclair/typebox/value';
import { LayoutGaSection, LayoutSection, VenueLayout } from '@ticketmain/protocol';

export interface LayoutProblem {
  /** 1-based line of the text; 1 when no better place is known. */
  line: number;
  message: string;
}

export type ParsedLayout =
  { ok: true; layout: VenueLayout } | { ok: false; problems: LayoutProblem[] };

/** At most this many problems are listed: the first ones are the ones to fix first. */
const MAX_PROBLEMS = 20;

export function parseLayoutText(text: string): ParsedLayout {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : 'Not JSON';
    return { ok: false, problems: [{ line: lineOfParseError(text, message), message }] };
  }
  if (Value.Check(VenueLayout, value)) return { ok: true, layout: value };
  const problems: LayoutProblem[] = [];
  for (const error of layoutErrors(value)) {
    problems.push({
      line: lineOfPointer(text, error.path),
      message: `${error.path || '/'}: ${error.message}`,
    });
    if (problems.length >= MAX_PROBLEMS) break;
  }
  return { ok: false, problems };
}

/**
 * The schema's errors, a section's union error replaced by the errors of the kind it means (with
 * `rows`: seated; without: general admission), so each one names the field at fault.
 */
function* layoutErrors(value: unknown): Generator<{ path: string; message: string }> {
  for (const error of Value.Errors(VenueLayout, value)) {
    const section = /^\/sections\/\d+$/.test(error.path) ? error.value : undefined;
    if (typeof section !== 'object' || section === null) {
      yield error;
      continue;
    }
    const kind = 'rows' in section ? LayoutSection : LayoutGaSection;
    for (const inner of Value.Errors(kind, section)) {
      yield { path: `${error.path}${inner.path}`, message: inner.message };
    }
  }
}

/** JSON.parse's messages name a position ("at position 42") or a line ("line 3 column 5"). */
function lineOfParseError(text: string, message: string): number {
  const line = /line (\d+)/.exec(message);
  if (line?.[1] !== undefined) return Number(line[1]);
  const position = /position (\d+)/.exec(message);
  if (position?.[1] !== undefined) return lineAt(text, Number(position[1]));
  return 1;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * The line where the value at a JSON pointer ("/sections/0/rows/2") starts, found by walking
 * the text; the deepest part of the pointer that exists when the rest does not (a missing key).
 */
export function lineOfPointer(text: string, pointer: string): number {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'));
  const scanner = new Scanner(text);
  let at = scanner.skipSpace();
  for (const part of parts) {
    const next = scanner.child(at, part);
    if (next < 0) break;
    at = next;
  }
  return lineAt(text, at);
}

/** Just enough of a JSON reader to find where a child value starts (the text is valid JSON). */
class Scanner {
  private i = 0;
  constructor(private readonly text: string) {}

  skipSpace(): number {
    while (this.i < this.text.length && /\s/.test(this.text[this.i] ?? '')) this.i++;
    return this.i;
  }

  /** Offset of the value of `key` (object) or index `key` (array) in the value at `at`; -1. */
  child(at: number, key: string): number {
    this.i = at;
    const open = this.text[at];
    if (open !== '{' && open !== '[') return -1;
    this.i++;
    for (let index = 0; ; index++) {
      this.skipSpace();
      const c = this.text[this.i];
      if (c === '}' || c === ']' || c === undefined) return -1;
      let name = String(index);
      if (open === '{') {
        name = JSON.parse(this.text.slice(this.i, this.skipString())) as string;
        this.skipSpace();
        this.i++; // the colon
      }
      const start = this.skipSpace();
      if (name === key) return start;
      this.skipValue();
      this.skipSpace();
      if (this.text[this.i] === ',') this.i++;
    }
  }

  /** Past the string starting at the cursor; returns the offset after its closing quote. */
  private skipString(): number {
    this.i++;
    while (this.i < this.text.length && this.text[this.i] !== '"') {
      if (this.text[this.i] === '\\') this.i++;
      this.i++;
    }
    this.i++;
    return this.i;
  }

  private skipValue(): void {
    const c = this.text[this.i];
    if (c === '"') {
      this.skipString();
      return;
    }
    if (c === '{' || c === '[') {
      let depth = 0;
      do {
        const d = this.text[this.i];
        if (d === '"') {
          this.skipString();
          continue;
        }
        if (d === '{' || d === '[') depth++;
        else if (d === '}' || d === ']') depth--;
        this.i++;
      } while (depth > 0 && this.i < this.text.length);
      return;
    }
    while (this.i < this.text.length && !/[,}\]\s]/.test(this.text[this.i] ?? '')) this.i++;
  }
}
