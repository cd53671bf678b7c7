// How many seats, chosen from 1 to the buyer's seat limit: the select of "Pick for me" and of the
// waiting list. The choice is kept as made and shown within the limit, which may drop as the
// buyer holds or buys seats.
import { useState } from 'react';
import type { EventController } from '../app/event-controller';
import { useObservable } from './hooks';

/** The quantity within the seat limit, and its setter; 2 to start with. */
export function useSeatQuantity(
  controller: EventController,
): [number, (n: number) => void, number] {
  const seatLimit = useObservable(controller.seatLimit);
  const [quantity, setQuantity] = useState(2);
  return [Math.min(quantity, seatLimit), setQuantity, seatLimit];
}

export function SeatQuantity(props: {
  name: string;
  value: number;
  limit: number;
  onChange: (n: number) => void;
}) {
  return (
    <label className="best-field">
      <span>Seats</span>
      <select
        name={props.name}
        value={props.value}
        onChange={(e) => props.onChange(Number(e.target.value))}
      >
        {Array.from({ length: props.limit }, (_, i) => i + 1).map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
    </label>
  );
}
