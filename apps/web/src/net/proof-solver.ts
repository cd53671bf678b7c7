// Runs the proof of work in a Web Worker and reports its progress; where no Worker exists, the
// same search runs on this thread in slices between tasks.
import { proofProgress, searchProof, type ProofTask } from './proof';
import type { ProofReport } from './proof.worker';

export interface ProofRun {
  nonce: Promise<string>;
  cancel(): void;
}

const MAIN_THREAD_SLICE = 2048;

/** `onProgress` gets the search's likely progress in [0, 1). */
export function solveInWorker(task: ProofTask, onProgress: (progress: number) => void): ProofRun {
  if (typeof Worker === 'undefined') return solveHere(task, onProgress);
  const worker = new Worker(new URL('./proof.worker.ts', import.meta.url), { type: 'module' });
  let cancel = () => worker.terminate();
  const nonce = new Promise<string>((resolve, reject) => {
    cancel = () => {
      worker.terminate();
      reject(new Error('cancelled'));
    };
    worker.onmessage = (event: MessageEvent<ProofReport>) => {
      const report = event.data;
      if (report.type === 'progress') onProgress(proofProgress(report.tried, task.bits));
      else {
        worker.terminate();
        resolve(report.nonce);
      }
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new Error(event.message || 'The proof of work failed'));
    };
    worker.postMessage(task);
  });
  return { nonce, cancel: () => cancel() };
}

function solveHere(task: ProofTask, onProgress: (progress: number) => void): ProofRun {
  let cancelled = false;
  const nonce = new Promise<string>((resolve, reject) => {
    const step = (from: number) => {
      if (cancelled) return reject(new Error('cancelled'));
      const found = searchProof(task, from, MAIN_THREAD_SLICE);
      if (found !== null) return resolve(found);
      onProgress(proofProgress(from + MAIN_THREAD_SLICE, task.bits));
      setTimeout(() => step(from + MAIN_THREAD_SLICE), 0);
    };
    step(0);
  });
  return { nonce, cancel: () => void (cancelled = true) };
}
