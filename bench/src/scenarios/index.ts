// The scenario registry, in run order. Each scenario is one file of this folder. replicas runs
// right after hold-spread (the same mix, on a stadium that snapshot has not filled yet);
// best-storm after them, judged against hold-spread's throughput of the same run. checkin and
// resale play on events of their own, last.
import type { Scenario } from '../scenario.js';
import { bestStorm } from './best-storm.js';
import { ceiling } from './ceiling.js';
import { checkin } from './checkin.js';
import { checkout } from './checkout.js';
import { fanout } from './fanout.js';
import { holdSpread } from './hold-spread.js';
import { holdStorm } from './hold-storm.js';
import { launch } from './launch.js';
import { launchQueue } from './launch-queue.js';
import { queue } from './queue.js';
import { replicas } from './replicas.js';
import { resale } from './resale.js';
import { snapshot } from './snapshot.js';
import { webhooks } from './webhooks.js';

export const scenarios: readonly Scenario[] = [
  ceiling,
  holdSpread,
  replicas,
  bestStorm,
  holdStorm,
  checkout,
  launch,
  fanout,
  snapshot,
  webhooks,
  checkin,
  resale,
  queue,
  launchQueue,
];
