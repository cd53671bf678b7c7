// Replies of Redis and PostgreSQL as the checker reads them: parsed, never trusted as typed.

export type ExecReply = [error: Error | null, result: unknown][] | null;

export function results(replies: ExecReply, count: number): unknown[] {
  if (replies === null || replies.length !== count) throw new Error('Redis MULTI was aborted');
  return replies.map(([err, value]) => {
    if (err) throw err;
    return value;
  });
}

export function list(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? (value as unknown[]) : undefined;
}

export function strings(value: unknown): string[] {
  return (list(value) ?? []).filter((v): v is string => typeof v === 'string');
}

/** A flat [a, b, a, b…] reply as pairs. */
export function pairs(value: unknown): Array<[string, string]> {
  const flat = strings(value);
  const out: Array<[string, string]> = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i] as string, flat[i + 1] as string]);
  return out;
}

export function field(row: unknown, name: string): string {
  const value =
    typeof row === 'object' && row !== null ? (row as Record<string, unknown>)[name] : undefined;
  if (typeof value !== 'string') throw new Error(`row without ${name}`);
  return value;
}
