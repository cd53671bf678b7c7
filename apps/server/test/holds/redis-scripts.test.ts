// The Lua side of the Redis hold store: loading, includes, codes, keys and published messages.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Keys } from '../../src/holds/keys.js';
import { ScriptCode } from '../../src/holds/redis/codes.js';
import { decodeBatch } from '../../src/holds/redis/messages.js';
import { SCRIPT_FILES, loadScripts } from '../../src/holds/redis/scripts.js';

const scriptsDir = new URL('../../src/holds/redis/scripts/', import.meta.url);

describe('Lua scripts', () => {
  it('resolve every include, once, and follow the file conventions', () => {
    const scripts = loadScripts();
    expect([...scripts.keys()].sort()).toEqual(Object.keys(SCRIPT_FILES).sort());
    for (const [name, { lua, numberOfKeys }] of scripts) {
      expect(lua, name).not.toMatch(/@include/);
      expect(lua.startsWith('--[['), name).toBe(true);
      expect(lua, name).toMatch(/^local rcall = redis\.call$/m);
      const functions = [...lua.matchAll(/^local function (\w+)/gm)].map((m) => m[1]);
      expect(new Set(functions).size, name).toBe(functions.length);
      // Every KEYS[i] is documented in the header and used: none is built inside the script.
      const used = new Set([...lua.matchAll(/KEYS\[(\d+)\]/g)].map((m) => Number(m[1])));
      expect(Math.max(...used), name).toBe(numberOfKeys);
      expect(lua, name).not.toMatch(/\.\.\s*['"]:/);
    }
  });

  it('share their reply codes with the TypeScript enum', () => {
    const lua = readFileSync(new URL('includes/codes.lua', scriptsDir), 'utf8');
    const luaCodes = Object.fromEntries(
      [...lua.matchAll(/^\s+([A-Z_]+) = (-?\d+),$/gm)].map((m) => [m[1], Number(m[2])]),
    );
    const tsCodes = Object.fromEntries(
      Object.entries(ScriptCode).filter(([, value]) => typeof value === 'number'),
    );
    expect(luaCodes).toEqual(tsCodes);
  });
});

describe('Keys', () => {
  it('puts every key of an event under its hash tag', () => {
    const k = new Keys('p:').event('E1');
    const all = [k.ready, k.seq, k.holder, k.exp, k.sold, k.channel, k.session('s1')];
    for (const key of all) expect(key.startsWith('p:{ev:E1}:')).toBe(true);
    expect(new Set(all).size).toBe(all.length);
    expect(new Keys().event('E1').ready).toBe('{ev:E1}:ready');
  });
});

describe('decodeBatch', () => {
  it('numbers changes from the first seq', () => {
    const message = '{"k":"c","t":1700000000123,"s":7,"c":[["A1","HELD"],["B\\/2","SOLD"]]}';
    expect(decodeBatch('e', message)).toEqual({
      kind: 'changes',
      eventId: 'e',
      time: 1700000000123,
      changes: [
        { seq: 7, seatId: 'A1', status: 'HELD' },
        { seq: 8, seatId: 'B/2', status: 'SOLD' },
      ],
    });
    expect(decodeBatch('e', '{"k":"r","t":5,"s":0}')).toEqual({
      kind: 'replaced',
      eventId: 'e',
      time: 5,
      seq: 0,
    });
  });

  it('rejects anything else', () => {
    for (const message of [
      'not json',
      'null',
      '[]',
      '{"k":"x","t":1,"s":1}',
      '{"k":"r","t":"1","s":1}',
      '{"k":"c","t":1,"s":1,"c":[]}',
      '{"k":"c","t":1,"s":1,"c":{}}',
      '{"k":"c","t":1,"s":1,"c":[["A1","GONE"]]}',
      '{"k":"c","t":1,"s":1,"c":[[1,"HELD"]]}',
      '{"k":"c","t":1,"s":1.5,"c":[["A1","HELD"]]}',
    ]) {
      expect(decodeBatch('e', message), message).toBeNull();
    }
  });
});
