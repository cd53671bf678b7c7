// The bar on top of every page: the brand (back to the events) and the page's own content.
import type { ReactNode } from 'react';
import { Link } from './Link';

export function AppHeader({ children }: { children?: ReactNode }) {
  return (
    <header className="app-header">
      <Link to="/" className="brand" aria-label="Ticketmain, all events">
        <span className="brand-mark" aria-hidden="true" />
        Ticketmain
      </Link>
      {children}
    </header>
  );
}
