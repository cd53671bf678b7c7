// The scenario registry, in run order. Each scenario is one file of this folder.
//
// Still to come, once the server side exists:
// - replicas: hold-spread on 1 and on 2 server replicas (needs the scale-out issue).
import type { Scenario } from '../scenario.js';
import { ceiling } from './ceiling.js';
import { checkout } from './checkout.js';
import { fanout } from './fanout.js';
import { holdSpread } from './hold-spread.js';
import { holdStorm } from './hold-storm.js';
import { launch } from './launch.js';
import { snapshot } from './snapshot.js';

export const scenarios: readonly Scenario[] = [
  ceiling,
  holdSpread,
  holdStorm,
  checkout,
  launch,
  fanout,
  snapshot,
];
