// The subscriber process: the fan-out subscribers and the launch buyers run here, apart from the
// bench's own event loop (which drives the changes and checks the invariants) and from the server.
// Started by process.ts; takes one command at a time over IPC and exits with its parent.
import { readFileSync } from 'node:fs';
import { Launch } from './buyers.js';
import { SubscriberPool } from './pool.js';
import type { Command, FromWorker, Reply, ToWorker } from './protocol.js';

const fdLimit = openFilesLimit();
const pool = new SubscriberPool(fdLimit);

function reply(message: FromWorker): void {
  process.send?.(message);
}

async function dispatch(command: Command): Promise<Reply> {
  switch (command.type) {
    case 'connect':
      return pool.connect(command);
    case 'mark':
      return pool.mark(command);
    case 'collect':
      return pool.collect(command);
    case 'close':
      return pool.close();
    case 'launch':
      return new Launch(command, fdLimit).run();
  }
}

process.on('message', (message: ToWorker) => {
  dispatch(message.command).then(
    (result) => reply({ kind: 'reply', id: message.id, reply: result }),
    (err: unknown) =>
      reply({
        kind: 'failed',
        id: message.id,
        error: err instanceof Error ? (err.stack ?? err.message) : String(err),
      }),
  );
});
// The bench went away (finished, failed or interrupted): so does this process.
process.on('disconnect', () => process.exit(0));
reply({ kind: 'ready', fdLimit });

/** The soft limit on open files of this process (each socket is one). */
function openFilesLimit(): number {
  try {
    const limits = readFileSync('/proc/self/limits', 'utf8');
    const soft = /^Max open files\s+(\d+|unlimited)/m.exec(limits)?.[1];
    return soft === undefined ? 1_024 : soft === 'unlimited' ? Infinity : Number(soft);
  } catch {
    return 1_024;
  }
}
