import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { chooseEncoding, matchesEtag, prepare } from './prepared.js';

describe('prepare', () => {
  it('gives identity, gzip and brotli of the same JSON, and an ETag that follows the content', async () => {
    const value = { seats: Array.from({ length: 1_000 }, (_, i) => ({ id: `S${i}`, x: i })) };
    const prepared = await prepare(value);
    const json = JSON.stringify(value);
    expect(prepared.bodies.identity.toString()).toBe(json);
    expect(gunzipSync(prepared.bodies.gzip).toString()).toBe(json);
    expect(brotliDecompressSync(prepared.bodies.br).toString()).toBe(json);
    expect(prepared.bodies.br.length).toBeLessThan(json.length / 4);
    expect(prepared.etag).toMatch(/^"[\w-]{27}"$/);
    expect((await prepare(value)).etag).toBe(prepared.etag);
    expect((await prepare({ ...value, more: 1 })).etag).not.toBe(prepared.etag);
  });
});

describe('chooseEncoding', () => {
  it('prefers brotli, then gzip, honouring q=0 and *', () => {
    expect(chooseEncoding('gzip, deflate, br')).toBe('br');
    expect(chooseEncoding('gzip, deflate')).toBe('gzip');
    expect(chooseEncoding('br;q=0, gzip;q=0.5')).toBe('gzip');
    expect(chooseEncoding('*')).toBe('br');
    expect(chooseEncoding('*, br;q=0')).toBe('gzip');
    expect(chooseEncoding('identity')).toBe('identity');
    expect(chooseEncoding(undefined)).toBe('identity');
    expect(chooseEncoding('')).toBe('identity');
  });
});

describe('matchesEtag', () => {
  it('matches the tag in a list, weak or strong, and *', () => {
    expect(matchesEtag('"abc"', '"abc"')).toBe(true);
    expect(matchesEtag('"x", W/"abc"', '"abc"')).toBe(true);
    expect(matchesEtag('*', '"abc"')).toBe(true);
    expect(matchesEtag('"abd"', '"abc"')).toBe(false);
    expect(matchesEtag(undefined, '"abc"')).toBe(false);
  });
});
