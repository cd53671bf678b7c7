// A large public read served from a prepared copy: an event's detail (megabytes for a stadium) is
// serialised and compressed once per replica, then every request is a buffer write, with an ETag
// for conditional requests. Built off the event loop's hot path: zlib runs in its thread pool.
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

export type Encoding = 'br' | 'gzip' | 'identity';

export interface PreparedBody {
  etag: string;
  bodies: Record<Encoding, Buffer>;
}

/** The JSON of `value`, identity, gzip and brotli, and a strong ETag of the JSON. */
export async function prepare(value: unknown): Promise<PreparedBody> {
  const identity = Buffer.from(JSON.stringify(value));
  const [gzipped, brotli] = await Promise.all([
    gzipAsync(identity, { level: 6 }),
    // Quality 5: most of brotli's gain for a fraction of its top quality's time; built once.
    brotliAsync(identity, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 5,
        [constants.BROTLI_PARAM_SIZE_HINT]: identity.length,
      },
    }),
  ]);
  const etag = `"${createHash('sha256').update(identity).digest('base64url').slice(0, 27)}"`;
  return { etag, bodies: { identity, gzip: gzipped, br: brotli } };
}

/**
 * The encoding to send for an Accept-Encoding header: brotli, else gzip, else identity, each
 * only when listed without `q=0` (a `*` allows both).
 */
export function chooseEncoding(acceptEncoding: string | undefined): Encoding {
  const accepted = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    if (name !== '') accepted.set(name, q === undefined ? 1 : Number(q));
  }
  const allows = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  if (allows('br')) return 'br';
  if (allows('gzip')) return 'gzip';
  return 'identity';
}

/** True when an If-None-Match header names this ETag (or is `*`). */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  return ifNoneMatch
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === etag || tag === '*');
}
