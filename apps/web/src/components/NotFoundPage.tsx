// The app's own page for an address it does not know (the server answers such a page request
// with the app and a 404, never with raw JSON).
import { useEffect } from 'react';
import { AppHeader } from './AppHeader';
import { useFocusOnNavigation } from './hooks';
import { Link } from './Link';

export function NotFoundPage() {
  const heading = useFocusOnNavigation<HTMLHeadingElement>();
  useEffect(() => {
    document.title = 'Page not found · Ticketmain';
  }, []);
  return (
    <>
      <AppHeader />
      <main className="page-message" data-testid="not-found">
        <h1 ref={heading} tabIndex={-1}>
          Page not found
        </h1>
        <p>There is nothing at this address. The event may have moved, or the link is mistyped.</p>
        <Link to="/">See all events</Link>
      </main>
    </>
  );
}
