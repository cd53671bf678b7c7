// The queue's Lua scripts, loaded once and registered on an ioredis client (redis/lua.ts), run
// with their key count checked.
import type { Cluster, Redis } from 'ioredis';
import {
  defineScript,
  loadScript,
  type LoadedScript,
  type ScriptArg as Arg,
  type ScriptCommand as Command,
} from '../redis/lua.js';

const SCRIPTS_DIR = new URL('./scripts/', import.meta.url);

export const QUEUE_SCRIPT_FILES = {
  configure: 'configure-1.lua',
  patch: 'patch-1.lua',
  join: 'join-8.lua',
  entry: 'entry-4.lua',
  prequeue: 'prequeue-2.lua',
  draw: 'draw-4.lua',
  tick: 'tick-4.lua',
  audit: 'audit-3.lua',
  isAdmitted: 'isAdmitted-2.lua',
  rearm: 'rearm-7.lua',
  restore: 'restore-7.lua',
} as const;

export type QueueScriptName = keyof typeof QUEUE_SCRIPT_FILES;

/** Every queue script's source with its includes, and its key count from the file name. */
export function loadQueueScripts(): Map<QueueScriptName, LoadedScript> {
  return new Map(
    Object.entries(QUEUE_SCRIPT_FILES).map(([name, file]) => [
      name as QueueScriptName,
      loadScript(SCRIPTS_DIR, file),
    ]),
  );
}

export class QueueScripts {
  private readonly commands = new Map<QueueScriptName, { call: Command; numberOfKeys: number }>();

  constructor(redis: Redis | Cluster) {
    for (const [name, script] of loadQueueScripts()) {
      this.commands.set(name, {
        call: defineScript(redis, `queueStore_${name}`, script),
        numberOfKeys: script.numberOfKeys,
      });
    }
  }

  run(name: QueueScriptName, keys: string[], args: Arg[] = []): Promise<unknown> {
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
