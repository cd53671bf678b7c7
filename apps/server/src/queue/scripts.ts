// Loads the queue's Lua scripts once (resolving `-- @include` lines from scripts/includes/),
// registers them on an ioredis client and runs them with their key count checked.
import { readFileSync } from 'node:fs';
import type { Cluster, Redis } from 'ioredis';

const SCRIPTS_DIR = new URL('./scripts/', import.meta.url);
const INCLUDES_DIR = new URL('./includes/', SCRIPTS_DIR);
const INCLUDE_LINE = /^--\s*@include\s+([A-Za-z0-9_]+)\s*$/gm;

export const QUEUE_SCRIPT_FILES = {
  configure: 'configure-1.lua',
  patch: 'patch-1.lua',
  join: 'join-7.lua',
  entry: 'entry-4.lua',
  prequeue: 'prequeue-2.lua',
  draw: 'draw-4.lua',
  tick: 'tick-4.lua',
  audit: 'audit-3.lua',
  isAdmitted: 'isAdmitted-2.lua',
} as const;

export type QueueScriptName = keyof typeof QUEUE_SCRIPT_FILES;

type Arg = string | number;
type Command = (...keysAndArgs: Arg[]) => Promise<unknown>;

function resolveIncludes(source: string, included: Set<string>): string {
  return source.replace(INCLUDE_LINE, (_line, name: string) => {
    if (included.has(name)) return '';
    included.add(name);
    return resolveIncludes(readFileSync(new URL(`${name}.lua`, INCLUDES_DIR), 'utf8'), included);
  });
}

/** Every queue script's source with its includes, and its key count from the file name. */
export function loadQueueScripts(): Map<QueueScriptName, { lua: string; numberOfKeys: number }> {
  return new Map(
    Object.entries(QUEUE_SCRIPT_FILES).map(([name, file]) => {
      const source = readFileSync(new URL(file, SCRIPTS_DIR), 'utf8');
      const numberOfKeys = Number(/-(\d+)\.lua$/.exec(file)?.[1]);
      const script = { lua: resolveIncludes(source, new Set()), numberOfKeys };
      return [name as QueueScriptName, script];
    }),
  );
}

export class QueueScripts {
  private readonly commands = new Map<QueueScriptName, { call: Command; numberOfKeys: number }>();

  constructor(redis: Redis | Cluster) {
    for (const [name, script] of loadQueueScripts()) {
      const command = `queueStore_${name}`;
      redis.defineCommand(command, script);
      // ioredis types do not know the commands defineCommand adds.
      const fn: unknown = Reflect.get(redis, command);
      if (typeof fn !== 'function') throw new Error(`${name} is not defined on this client`);
      this.commands.set(name, {
        call: (fn as Command).bind(redis),
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
