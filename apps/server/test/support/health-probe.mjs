// Probes GET /health every 10 ms until stdin closes, then prints the latencies (ms) as JSON. Run
// as its own process, so that what a test does meanwhile never delays the probe's own clock.
import { get } from 'node:http';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';

const url = process.argv[2];
const latencies = [];
let running = true;
process.stdin.on('end', () => (running = false));
process.stdin.resume();
while (running) {
  const start = performance.now();
  const status = await new Promise((resolve, reject) => {
    get(url, (res) => res.resume().on('end', () => resolve(res.statusCode))).on('error', reject);
  });
  latencies.push(status === 200 ? performance.now() - start : -1);
  await sleep(10);
}
process.stdout.write(JSON.stringify(latencies));
