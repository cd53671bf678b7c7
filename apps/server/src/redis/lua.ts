// Lua scripts for Redis, for every store that keeps its state there (holds, the waiting room,
// viewer counts, rate limits): read once from a scripts folder with their `-- @include` lines
// resolved from its `includes/`, and registered on an ioredis client with defineCommand (EVALSHA,
// EVAL on NOSCRIPT). A script's file name ends in its key count: `holdSeats-14.lua`.
import { readFileSync } from 'node:fs';
import type { Cluster, Redis } from 'ioredis';

export interface LoadedScript {
  lua: string;
  numberOfKeys: number;
}

export type ScriptArg = string | number;
export type ScriptCommand = (...keysAndArgs: ScriptArg[]) => Promise<unknown>;

const INCLUDE_LINE = /^--\s*@include\s+([A-Za-z0-9_]+)\s*$/gm;

/** Replaces each include line by the helper's source; a helper is included once per script. */
function resolveIncludes(source: string, includes: URL, included: Set<string>): string {
  return source.replace(INCLUDE_LINE, (_line, name: string) => {
    if (included.has(name)) return '';
    included.add(name);
    const helper = readFileSync(new URL(`${name}.lua`, includes), 'utf8');
    return resolveIncludes(helper, includes, included);
  });
}

/** `file` of the folder `dir` (a URL ending in "/"), its includes resolved. */
export function loadScript(dir: URL, file: string): LoadedScript {
  const match = /-(\d+)\.lua$/.exec(file);
  if (!match?.[1]) throw new Error(`Lua script name must end in -<numberOfKeys>.lua: ${file}`);
  const source = readFileSync(new URL(file, dir), 'utf8');
  const lua = resolveIncludes(source, new URL('./includes/', dir), new Set());
  return { lua, numberOfKeys: Number(match[1]) };
}

/** Registers the script as `command` on the client and returns the command, bound to it. */
export function defineScript(
  redis: Redis | Cluster,
  command: string,
  script: LoadedScript,
): ScriptCommand {
  redis.defineCommand(command, script);
  // ioredis types do not know the commands defineCommand adds.
  const fn: unknown = Reflect.get(redis, command);
  if (typeof fn !== 'function') throw new Error(`${command} is not defined on this client`);
  return (fn as ScriptCommand).bind(redis);
}
