// The scenario registry, in run order. Each scenario is one file of this folder.
//
// Still to come, each as its own file here once the server side exists:
// - launch: 5,000 WebSocket buyers sell out the 900-seat arena (needs GET /ws);
// - fanout: 5,000 then 10,000 WebSocket subscribers under 1,000 changes/s (needs GET /ws);
// - the WebSocket half of snapshot (needs GET /ws);
// - replicas: hold-spread on 1 and on 2 server replicas (needs the scale-out issue).
import type { Scenario } from '../scenario.js';
import { ceiling } from './ceiling.js';
import { checkout } from './checkout.js';
import { holdSpread } from './hold-spread.js';
import { holdStorm } from './hold-storm.js';
import { snapshot } from './snapshot.js';

export const scenarios: readonly Scenario[] = [ceiling, holdSpread, holdStorm, checkout, snapshot];
