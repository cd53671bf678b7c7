// Preloaded into a replica by the clock tests: shifts Date.now by CLOCK_SKEW_MS, so the replica's
// own clock disagrees with Redis's by minutes.
const skew = Number(process.env.CLOCK_SKEW_MS ?? 0);
const realNow = Date.now;
Date.now = () => realNow() + skew;
