// A table's box, which scrolls sideways on a narrow screen: focusable and named, so that the
// keyboard can scroll it too, and a screen reader says what it holds.
import type { ReactNode } from 'react';

export function ScrollBox({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="admin-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
