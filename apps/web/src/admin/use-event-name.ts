// An event's name for a console page's heading and title, from the event list.
import { useEffect, useState } from 'react';
import type { TicketmainClient } from '@ticketmain/client';

export function useEventName(api: TicketmainClient, eventId: string, page: string): string {
  const [name, setName] = useState(eventId);
  useEffect(() => {
    void api.listEvents().then(
      (events) => setName(events.find((e) => e.id === eventId)?.name ?? eventId),
      () => {},
    );
  }, [api, eventId]);
  useEffect(() => {
    document.title = `${page === '' ? name : `${page} · ${name}`} · Console · Ticketmain`;
  }, [name, page]);
  return name;
}
