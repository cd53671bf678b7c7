// Shape checks for what arrives over the wire: parse, then trust (no `any` past this point).
export type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isString(value: unknown): value is string {
  return typeof value === 'string';
}

export function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

export function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every(isString);
}

export function isArrayOf<T>(value: unknown, item: (v: unknown) => v is T): value is T[] {
  return Array.isArray(value) && value.every(item);
}

/** Checks the named fields' types; extra fields are allowed (the contract may grow). */
export function hasFields(
  value: unknown,
  fields: Record<string, (v: unknown) => boolean>,
): value is Json {
  if (!isRecord(value)) return false;
  return Object.entries(fields).every(([name, check]) => check(value[name]));
}
