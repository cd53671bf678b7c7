// The waiting room's controls on an event's dashboard: how many wait and have been admitted,
// how long the line takes to clear at this rate (live, from the WebSocket's queue frames), the
// admission rate (a slider, applied on release or with its button) and pause / resume.
// Changes go through PATCH /api/admin/events/:eventId/queue and reach every replica within a
// second.
import { useEffect, useState } from 'react';
import { ApiError, type TicketmainClient } from '@ticketmain/client';
import type { QueueReport } from '@ticketmain/protocol';
import { formatWait } from '../state/queue';
import { QueueChart } from './QueueChart';

/** The slider's range; the API takes up to 1,000,000 a minute. */
const MAX_RATE = 12_000;
const STEP = 60;

interface Props {
  api: TicketmainClient;
  eventId: string;
  queue: QueueReport;
  onChanged: () => void;
}

export function QueuePanel({ api, eventId, queue, onChanged }: Props) {
  const [rate, setRate] = useState(queue.admitPerMinute);
  const [editing, setEditing] = useState(false);
  const [message, setMessage] = useState('');
  useEffect(() => {
    if (!editing) setRate(queue.admitPerMinute);
  }, [queue.admitPerMinute, editing]);

  const patch = async (change: { admitPerMinute?: number; paused?: boolean }, done: string) => {
    try {
      await api.patchQueue(eventId, change);
      setMessage(done);
    } catch (error) {
      setMessage(error instanceof ApiError ? error.detail : 'The change could not be made.');
    }
    setEditing(false);
    onChanged();
  };
  const n = (value: number) => value.toLocaleString('en-US');
  return (
    <section className="admin-card admin-queue" aria-labelledby="queue-title" data-testid="queue">
      <h2 id="queue-title">Waiting room</h2>
      <dl className="admin-queue-numbers">
        <div>
          <dt>Waiting</dt>
          <dd data-field="waiting">{n(queue.waiting)}</dd>
        </div>
        <div>
          <dt>Admitted</dt>
          <dd data-field="admitted">{n(queue.admitted)}</dd>
        </div>
        <div>
          <dt>Line clears in</dt>
          <dd data-field="clears">
            {queue.waiting === 0 || queue.paused
              ? '—'
              : formatWait((60 * queue.waiting) / queue.admitPerMinute)}
          </dd>
        </div>
        <div>
          <dt>Admission</dt>
          <dd data-field="state">
            {queue.paused ? 'Paused' : `${n(queue.admitPerMinute)} a minute`}
          </dd>
        </div>
      </dl>
      <QueueChart queue={queue} />
      <div className="admin-rate">
        <label htmlFor="queue-rate">
          Admit per minute: <output htmlFor="queue-rate">{n(rate)}</output>
        </label>
        <input
          id="queue-rate"
          type="range"
          min={STEP}
          max={Math.max(MAX_RATE, queue.admitPerMinute)}
          step={STEP}
          value={rate}
          onChange={(e) => {
            setEditing(true);
            setRate(Number(e.target.value));
          }}
        />
        <button
          type="button"
          className="admin-primary"
          disabled={rate === queue.admitPerMinute}
          onClick={() => void patch({ admitPerMinute: rate }, `Admitting ${n(rate)} a minute.`)}
        >
          Apply rate
        </button>
        <button
          type="button"
          className="admin-secondary"
          onClick={() =>
            void patch(
              { paused: !queue.paused },
              queue.paused ? 'Admission resumed.' : 'Admission paused.',
            )
          }
        >
          {queue.paused ? 'Resume admission' : 'Pause admission'}
        </button>
      </div>
      <p role="status" className="admin-help">
        {message}
      </p>
    </section>
  );
}
