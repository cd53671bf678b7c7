// The scale-out variables: REDIS_CLUSTER_NODES (exclusive with REDIS_URL), DATABASE_READ_URL and
// WORKERS, each refused with a message that names it.
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const SERVICES = {
  DATABASE_URL: 'postgres://db/ticketmain',
  SESSION_SECRET: 'x'.repeat(32),
};

function problem(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('configuration accepted');
}

describe('scale-out configuration', () => {
  it('reads a Redis Cluster from its seed nodes', () => {
    const config = loadConfig({ ...SERVICES, REDIS_CLUSTER_NODES: 'redis-1:7000, 10.0.0.2:7001' });
    expect(config.mode).toMatchObject({
      kind: 'services',
      redis: {
        kind: 'cluster',
        nodes: [
          { host: 'redis-1', port: 7000 },
          { host: '10.0.0.2', port: 7001 },
        ],
      },
      databaseReadUrl: undefined,
    });
  });

  it('takes exactly one of REDIS_URL and REDIS_CLUSTER_NODES, with DATABASE_URL', () => {
    const both = { ...SERVICES, REDIS_URL: 'redis://r', REDIS_CLUSTER_NODES: 'r:7000' };
    expect(problem(both)).toContain('REDIS_URL, REDIS_CLUSTER_NODES: set one of them, not both');
    expect(problem({ REDIS_CLUSTER_NODES: 'r:7000' })).toContain(
      'DATABASE_URL: required when REDIS_CLUSTER_NODES is set',
    );
    expect(problem({ DATABASE_URL: SERVICES.DATABASE_URL })).toContain(
      'REDIS_URL or REDIS_CLUSTER_NODES: one is required',
    );
    expect(problem({ ...SERVICES, REDIS_CLUSTER_NODES: 'r' })).toContain('REDIS_CLUSTER_NODES');
    expect(problem({ ...SERVICES, REDIS_CLUSTER_NODES: 'r:70000' })).toContain('out of range');
  });

  it('points the lag-tolerant reads at DATABASE_READ_URL, which needs DATABASE_URL', () => {
    const readUrl = 'postgres://replica/ticketmain';
    const config = loadConfig({ ...SERVICES, REDIS_URL: 'redis://r', DATABASE_READ_URL: readUrl });
    expect(config.mode).toMatchObject({ kind: 'services', databaseReadUrl: readUrl });
    expect(problem({ DATABASE_READ_URL: readUrl })).toContain(
      'DATABASE_READ_URL: needs DATABASE_URL',
    );
  });

  it('runs WORKERS processes, one per core with "auto", and only one in embedded mode', () => {
    const services = { ...SERVICES, REDIS_URL: 'redis://r' };
    expect(loadConfig({}).workers).toBe(1);
    expect(loadConfig({ ...services, WORKERS: '4' }).workers).toBe(4);
    expect(loadConfig({ ...services, WORKERS: 'auto' }).workers).toBe(availableParallelism());
    expect(problem({ ...services, WORKERS: '0' })).toContain('WORKERS');
    expect(problem({ WORKERS: '2' })).toContain('WORKERS: embedded mode runs in one process');
  });
});
