// What the replicas scenario derives from CPU per request: how many requests one core of Redis
// could serve, and how many server replicas, each running flat out on a core of its own, one
// Redis shard could feed. Pure arithmetic, tested on its own.

export interface CpuPerRequest {
  /** Server CPU per request (all replicas' CPU over all requests), in µs. */
  serverUs: number;
  /** Redis CPU per request, in µs: an upper bound when Redis serves others too. */
  redisUs: number;
}

export interface ShardCapacity {
  /** Requests per second one Redis core could serve: 1 / Redis CPU per request. */
  redisCoreRps: number;
  /** Requests per second one replica serves with a whole core: 1 / server CPU per request. */
  replicaRpsAtFullCore: number;
  /** redisCoreRps ÷ replicaRpsAtFullCore = server CPU ÷ Redis CPU per request. */
  replicasPerShard: number;
}

/**
 * One Redis shard runs its commands on one thread, so it saturates at one core: it can feed as
 * many replicas as one core of Redis serves requests for, divided by what one replica, given a
 * whole core, sends it. Undefined when a figure is missing or not positive.
 */
export function shardCapacity(cpu: Partial<CpuPerRequest>): ShardCapacity | undefined {
  const { serverUs, redisUs } = cpu;
  if (serverUs === undefined || redisUs === undefined) return undefined;
  if (!(serverUs > 0) || !(redisUs > 0)) return undefined;
  const redisCoreRps = 1e6 / redisUs;
  const replicaRpsAtFullCore = 1e6 / serverUs;
  return {
    redisCoreRps,
    replicaRpsAtFullCore,
    replicasPerShard: redisCoreRps / replicaRpsAtFullCore,
  };
}

/** CPU time in ms over a number of requests, as µs per request; null without requests. */
export function usPerRequest(cpuMs: number, requests: number): number | null {
  return requests > 0 && Number.isFinite(cpuMs) ? (cpuMs * 1000) / requests : null;
}
