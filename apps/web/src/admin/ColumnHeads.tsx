// The head row of a console table: column names, the numeric ones aligned right.
import type { ReactNode } from 'react';

export type Column = { label: ReactNode; numeric?: boolean; className?: string };

export function ColumnHeads({ columns }: { columns: readonly Column[] }) {
  return (
    <thead>
      <tr>
        {columns.map(({ label, numeric, className }, i) => (
          <th
            key={i}
            scope="col"
            className={
              [numeric === true ? 'num' : '', className ?? ''].join(' ').trim() || undefined
            }
          >
            {label}
          </th>
        ))}
      </tr>
    </thead>
  );
}
