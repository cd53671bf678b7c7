// The card of a seat tapped on a touch screen: row, seat, section, price and status, with a clear
// Hold (or Release) button, so a finger never holds a seat it did not mean to.
import type { EventController } from '../../app/event-controller';
import { seatLabel, seatPrice, STATUS_ATTRIBUTE, STATUS_WORDS } from '../../state/format';
import { displayStatus, Status } from '../../state/live';
import { sectionOfSeat, type Venue } from '../../state/venue';
import { useSelected } from '../hooks';

interface Props {
  seat: number;
  venue: Venue;
  controller: EventController;
  onClose: () => void;
}

export function SeatCard({ seat, venue, controller, onClose }: Props) {
  const status = useSelected(controller.live, (state) => displayStatus(state, seat));
  const label = seatLabel(venue, seat);
  const action =
    status === Status.Available ? 'Hold' : status === Status.HeldByMe ? 'Release' : null;
  return (
    <section
      className="seat-card"
      data-testid="seat-card"
      data-seat-id={venue.ids[seat]}
      data-status={STATUS_ATTRIBUTE[status]}
      aria-label={`Seat ${label}`}
    >
      <div className="seat-card-text">
        <p className="seat-card-title">{label}</p>
        <p className="seat-card-detail">
          {sectionOfSeat(venue, seat)?.name} · <strong>{seatPrice(venue, seat)}</strong>
        </p>
        <p className="seat-card-status">{capitalise(STATUS_WORDS[status])}</p>
      </div>
      {action !== null && (
        <button
          type="button"
          className={status === Status.Available ? 'seat-card-hold' : 'seat-card-release'}
          onClick={() => controller.toggle(seat)}
          aria-label={`${action} ${label}`}
        >
          {action}
        </button>
      )}
      <button type="button" className="seat-card-close" aria-label="Close" onClick={onClose}>
        ×
      </button>
    </section>
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
