// deploy/docker-compose.yml and the Dockerfile, checked without a Docker engine: docker-compose
// parses and interpolates the file (`config`), and the replicas it runs must start the way the
// tests' replicas do: the same entry point and configuration variables.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { SERVER_ENTRY, SharedBackends } from '../support/process.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const COMPOSE_FILE = join(ROOT, 'deploy/docker-compose.yml');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

const hasCompose = spawnSync('docker-compose', ['version'], { encoding: 'utf8' }).status === 0;
if (!hasCompose) {
  console.warn('SKIPPED deploy/docker-compose.yml checks: docker-compose is not installed');
}

interface Service {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: (string | { source: string; target: string })[];
  ports?: unknown[];
  depends_on?: Record<string, unknown>;
}
interface ComposeConfig {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const dir = mkdtempSync(join(tmpdir(), 'ticketmain-compose-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `docker-compose config` with the given env file, as JSON (through PyYAML, or v2's own JSON). */
function composeConfig(envFile: string): {
  status: number | null;
  config?: ComposeConfig;
  stderr: string;
} {
  const args = ['--env-file', envFile, '-f', COMPOSE_FILE, 'config'];
  const env = { PATH: process.env.PATH ?? '' }; // nothing from the caller's shell leaks in
  const yaml = spawnSync('docker-compose', args, { encoding: 'utf8', env });
  if (yaml.status !== 0) return { status: yaml.status, stderr: yaml.stderr };
  // Debian's docker-compose 1.x is Python and depends on PyYAML; v2 prints JSON itself.
  const toJson = 'import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)';
  const viaPython = spawnSync('python3', ['-c', toJson], { input: yaml.stdout, encoding: 'utf8' });
  const json =
    viaPython.status === 0
      ? viaPython.stdout
      : spawnSync('docker-compose', [...args, '--format', 'json'], { encoding: 'utf8', env })
          .stdout;
  return { status: 0, config: JSON.parse(json) as ComposeConfig, stderr: '' };
}

/** deploy/.env.example with every empty value filled in, as a user is told to do. */
function filledEnvFile(): string {
  const filled = read('deploy/.env.example').replace(/^([A-Z_]+)=$/gm, (_line, name: string) =>
    name === 'ADMIN_TOKEN' ? `${name}=${'t'.repeat(24)}` : `${name}=${'s'.repeat(40)}`,
  );
  const file = join(dir, 'filled.env');
  writeFileSync(file, filled);
  return file;
}

describe.skipIf(!hasCompose)('deploy/docker-compose.yml', () => {
  it('is valid: Redis 7, PostgreSQL 15 on a named volume, two replicas, nginx in front', () => {
    const { status, config, stderr } = composeConfig(filledEnvFile());
    expect(status, stderr).toBe(0);
    const { services, volumes } = config!;
    expect(Object.keys(services).sort()).toEqual([
      'nginx',
      'postgres',
      'redis',
      'server1',
      'server2',
    ]);
    expect(services.redis?.image).toMatch(/^redis:7/);
    expect(services.postgres?.image).toMatch(/^postgres:15/);
    expect(JSON.stringify(services.postgres?.volumes)).toContain('pgdata');
    expect(Object.keys(volumes ?? {})).toContain('pgdata');
    expect(JSON.stringify(services.nginx?.volumes)).toContain('/etc/nginx/nginx.conf');
    expect(Object.keys(services.nginx?.depends_on ?? {}).sort()).toEqual(['server1', 'server2']);
  });

  it('refuses to run without the secrets, naming deploy/.env', () => {
    const empty = join(dir, 'empty.env');
    writeFileSync(empty, '');
    const { status, stderr } = composeConfig(empty);
    expect(status).not.toBe(0);
    expect(stderr).toMatch(/(SESSION_SECRET|ADMIN_TOKEN|POSTGRES_PASSWORD).*deploy\/\.env/);
  });

  it('documents every variable it interpolates in deploy/.env.example', () => {
    const used = [...read('deploy/docker-compose.yml').matchAll(/\$\{([A-Z_]+)/g)].map((m) => m[1]);
    const documented = [...read('deploy/.env.example').matchAll(/^([A-Z_]+)=/gm)].map((m) => m[1]);
    expect(used.filter((name) => !documented.includes(name))).toEqual([]);
  });

  it('starts each replica with the entry point and variables the tests use', () => {
    const { services } = composeConfig(filledEnvFile()).config!;
    const [one, two] = [services.server1!, services.server2!];
    expect(two.command).toEqual(one.command);
    expect(two.environment).toEqual(one.environment);

    // The built form of the file the tests' replicas run, also `npm start`'s and the image's CMD.
    const built = relative(ROOT, SERVER_ENTRY).replace('/src/', '/dist/').replace(/\.ts$/, '.js');
    expect(one.command).toEqual(['node', built]);
    expect(JSON.parse(read('package.json')).scripts.start).toContain(`node ${built}`);
    expect(read('Dockerfile')).toContain(`CMD ["node", "${built}"]`);

    // The same variables the tests give their replicas, and a configuration the server accepts.
    const env = one.environment ?? {};
    const backing = ['REDIS_URL', 'DATABASE_URL', 'SESSION_SECRET', 'ADMIN_TOKEN'];
    expect(Object.keys(new SharedBackends().env())).toEqual(expect.arrayContaining(backing));
    expect(Object.keys(env)).toEqual(expect.arrayContaining(backing));
    const config = loadConfig(env);
    expect(config.mode).toMatchObject({ kind: 'services', redis: { url: 'redis://redis:6379' } });
    // Every variable is one of the README's configuration table (a typo would be ignored).
    const table = read('README.md');
    expect(Object.keys(env).filter((name) => !table.includes(`| \`${name}\``))).toEqual([]);
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));

  it('builds in stages and runs production dependencies as a non-root user', () => {
    expect(dockerfile).toMatch(/^FROM \S+ AS build$/m);
    expect(runtime).toMatch(/^FROM \$\{NODE_IMAGE\} AS runtime$/m);
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:20-/m);
    expect(dockerfile).toContain('npm ci --omit=dev');
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^HEALTHCHECK .*\n?.*\/ready/m);
    expect(runtime).not.toContain('npm ci --no-audit --no-fund\n');
  });

  it("copies every workspace's package.json before npm ci, as the lock file lists them", () => {
    const { workspaces } = JSON.parse(read('package.json')) as { workspaces: string[] };
    for (const workspace of workspaces) {
      expect(dockerfile).toContain(`COPY ${workspace}/package.json ${workspace}/`);
    }
  });

  it('keeps dependencies, builds and secrets out of the build context', () => {
    const ignored = read('.dockerignore').split('\n');
    expect(ignored).toEqual(
      expect.arrayContaining(['**/node_modules', '**/dist', '.git', '**/.env']),
    );
  });
});
