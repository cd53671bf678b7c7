// `node --import tsx bench/src/tools/cpuprofile-top.ts FILE.cpuprofile [N]`: the N functions with
// the most self time in a V8 CPU profile (from `--cpu-prof`, e.g. BENCH_SERVER_NODE_OPTIONS), and
// the share of the samples each took; "(idle)" is time the process waited for work.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface Profile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}

export function topSelfTime(profile: Profile, count: number): string[] {
  const byNode = new Map<number, ProfileNode>(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let totalUs = 0;
  samples.forEach((id, i) => {
    const node = byNode.get(id);
    if (node === undefined) return;
    const us = deltas[i + 1] ?? deltas[i] ?? 0;
    const { functionName, url, lineNumber } = node.callFrame;
    const where =
      url === ''
        ? ''
        : ` ${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(apps|packages)\//, '$1/')}:${lineNumber + 1}`;
    const key = `${functionName || '(anonymous)'}${where}`;
    selfUs.set(key, (selfUs.get(key) ?? 0) + us);
    totalUs += us;
  });
  return [...selfUs.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(
      ([key, us]) =>
        `${((100 * us) / totalUs).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${key}`,
    );
}

const [file, n] = process.argv.slice(2);
if (file !== undefined) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  console.log(topSelfTime(profile, Number(n ?? 25)).join('\n'));
}
