// The hold store's Lua scripts, loaded once and registered on an ioredis client (redis/lua.ts),
// with one typed wrapper per script.
import type { LoneSeatCheck } from '../../domain/lone-seats.js';
import type { GaRequest, HandOverSource } from '../types.js';
import {
  defineScript,
  loadScript as loadFrom,
  type LoadedScript,
  type ScriptArg as Arg,
  type ScriptCommand as Command,
} from '../../redis/lua.js';
import type { EventKeys } from '../keys.js';
import type { RedisClient } from './connect.js';

const SCRIPTS_DIR = new URL('./scripts/', import.meta.url);
export const SCRIPT_FILES = {
  holdSeats: 'holdSeats-14.lua',
  release: 'release-7.lua',
  beginCheckout: 'beginCheckout-6.lua',
  abortCheckout: 'abortCheckout-4.lua',
  extendHolds: 'extendHolds-7.lua',
  markSold: 'markSold-9.lua',
  unmarkSold: 'unmarkSold-6.lua',
  handOver: 'handOver-11.lua',
  expire: 'expire-6.lua',
  snapshot: 'snapshot-6.lua',
  sequence: 'sequence-2.lua',
  counts: 'counts-3.lua',
  restore: 'restore-9.lua',
  clear: 'clear-10.lua',
} as const;

export type ScriptName = keyof typeof SCRIPT_FILES;

export type { LoadedScript };

export function loadScript(file: string): LoadedScript {
  return loadFrom(SCRIPTS_DIR, file);
}

let loaded: Map<ScriptName, LoadedScript> | undefined;

/** Every script, read from disk on first use only. */
export function loadScripts(): Map<ScriptName, LoadedScript> {
  loaded ??= new Map(
    Object.entries(SCRIPT_FILES).map(([name, file]) => [name as ScriptName, loadScript(file)]),
  );
  return loaded;
}

/** Namespaced so the commands cannot clash with other users of the same client. */
const commandName = (name: ScriptName): string => `holdStore_${name}`;

export interface HoldArgs {
  sessionId: string;
  ttlMs: number;
  maxSeats: number;
  address?: string;
  maxPerAddress?: number;
  seatIds: string[];
  loneSeatChecks?: LoneSeatCheck[];
  ga?: GaRequest[];
}

/** The keys of the scripts that set or clear SOLD marks with their buyers, in KEYS order. */
function salesKeys(k: EventKeys): string[] {
  return [k.ready, k.seq, k.holder, k.exp, k.sold, k.channel, k.checkout, k.buyer, k.bought];
}

export class HoldScripts {
  /** Each script's command (added by defineCommand) and key count, looked up once. */
  private readonly commands = new Map<ScriptName, { call: Command; numberOfKeys: number }>();

  constructor(redis: RedisClient) {
    for (const [name, script] of loadScripts()) {
      this.commands.set(name, {
        call: defineScript(redis, commandName(name), script),
        numberOfKeys: script.numberOfKeys,
      });
    }
  }

  holdSeats(k: EventKeys, a: HoldArgs): Promise<unknown> {
    const keys = [
      k.ready,
      k.seq,
      k.holder,
      k.exp,
      k.sold,
      k.session(a.sessionId),
      k.channel,
      k.checkout,
      k.bought,
      k.placedFrom,
      k.address(a.address ?? ''),
      // The waiting room's gate, checked in the same call (queue/README.md).
      k.queue.cfg,
      k.queue.admitted,
      k.gaCursor,
    ];
    const { address = '', maxPerAddress = 0, loneSeatChecks: checks = [] } = a;
    const args: Arg[] = [a.sessionId, a.ttlMs, a.maxSeats, address, maxPerAddress, checks.length];
    for (const { seatId, left, right } of checks) args.push(seatId, left, right);
    const ga = a.ga ?? [];
    args.push(ga.length);
    for (const { sectionId, quantity, capacity } of ga) args.push(sectionId, quantity, capacity);
    for (const seatId of a.seatIds) args.push(seatId);
    return this.run('holdSeats', keys, args);
  }

  release(k: EventKeys, sessionId: string, seatId: string): Promise<unknown> {
    const keys = [k.ready, k.seq, k.holder, k.exp, k.session(sessionId), k.channel, k.checkout];
    return this.run('release', keys, [sessionId, seatId]);
  }

  beginCheckout(
    k: EventKeys,
    sessionId: string,
    seatIds: string[],
    windowMs: number,
    attempt: string,
  ): Promise<unknown> {
    const keys = [k.ready, k.holder, k.exp, k.sold, k.session(sessionId), k.checkout];
    return this.run('beginCheckout', keys, [sessionId, windowMs, attempt, ...seatIds]);
  }

  extendHolds(k: EventKeys, sessionId: string, ttlMs: number, address = ''): Promise<unknown> {
    const keys = [
      k.ready,
      k.holder,
      k.exp,
      k.session(sessionId),
      k.checkout,
      k.placedFrom,
      k.address(address),
    ];
    return this.run('extendHolds', keys, [sessionId, ttlMs, address]);
  }

  /** `previous`: flat pairs of seatId, expiresAt. */
  abortCheckout(k: EventKeys, sessionId: string, previous: Arg[]): Promise<unknown> {
    return this.run(
      'abortCheckout',
      [k.ready, k.holder, k.exp, k.checkout],
      [sessionId, ...previous],
    );
  }

  markSold(k: EventKeys, seatIds: string[], buyer: string): Promise<unknown> {
    return this.run('markSold', salesKeys(k), [buyer, ...seatIds]);
  }

  /** `soldTo` '': whoever bought them. */
  unmarkSold(k: EventKeys, seatIds: string[], soldTo = ''): Promise<unknown> {
    const keys = [k.ready, k.seq, k.sold, k.channel, k.buyer, k.bought];
    return this.run('unmarkSold', keys, [soldTo, ...seatIds]);
  }

  handOver(
    k: EventKeys,
    from: HandOverSource,
    to: string,
    ttlMs: number,
    seatIds: string[],
  ): Promise<unknown> {
    const keys = [
      k.ready,
      k.seq,
      k.holder,
      k.exp,
      k.sold,
      k.channel,
      k.checkout,
      k.buyer,
      k.bought,
      k.placedFrom,
      k.session(to),
    ];
    const source =
      'sold' in from ? ['sold', from.sold] : 'held' in from ? ['held', from.held] : ['free', ''];
    return this.run('handOver', keys, [...source, to, ttlMs, ...seatIds]);
  }

  expire(k: EventKeys, limit: number): Promise<unknown> {
    const keys = [k.ready, k.seq, k.holder, k.exp, k.channel, k.checkout];
    return this.run('expire', keys, [limit]);
  }

  /** Without a session, the session key is one that no session ever uses. */
  snapshot(k: EventKeys, sessionId = '', withLists = true): Promise<unknown> {
    const keys = [k.ready, k.seq, k.holder, k.exp, k.sold, k.session(sessionId)];
    return this.run('snapshot', keys, [sessionId, withLists ? '1' : '0']);
  }

  sequence(k: EventKeys): Promise<unknown> {
    return this.run('sequence', [k.ready, k.seq], []);
  }

  counts(k: EventKeys): Promise<unknown> {
    return this.run('counts', [k.ready, k.holder, k.sold], []);
  }

  /** `sales`: flat pairs of seatId, buyer sessionId. */
  restore(k: EventKeys, sales: string[], final: boolean): Promise<unknown> {
    return this.run('restore', salesKeys(k), [final ? '1' : '0', ...sales]);
  }

  clear(k: EventKeys): Promise<unknown> {
    return this.run('clear', [...salesKeys(k), k.placedFrom], []);
  }

  private run(name: ScriptName, keys: string[], args: Arg[]): Promise<unknown> {
    const command = this.commands.get(name);
    if (command === undefined) throw new Error(`${name} is not defined on this client`);
    if (keys.length !== command.numberOfKeys) {
      throw new Error(
        `${name}: ${keys.length} keys given, the script takes ${command.numberOfKeys}`,
      );
    }
    return command.call(...keys, ...args);
  }
}
