// The proof-of-work search off the main thread: the page stays responsive while it runs. Posts
// `progress` after each slice and `solved` with the nonce; the page ends it with terminate().
import { searchProof, type ProofTask } from './proof';

export type ProofReport = { type: 'progress'; tried: number } | { type: 'solved'; nonce: string };

/** Slices this size report a few times a second on a phone, and cost little to hash between. */
const SLICE = 8192;

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<ProofTask>) => void) | null;
  postMessage(report: ProofReport): void;
};

scope.onmessage = (event) => {
  const task = event.data;
  for (let from = 0; ; from += SLICE) {
    const nonce = searchProof(task, from, SLICE);
    if (nonce !== null) {
      scope.postMessage({ type: 'solved', nonce });
      return;
    }
    scope.postMessage({ type: 'progress', tried: from + SLICE });
  }
};
