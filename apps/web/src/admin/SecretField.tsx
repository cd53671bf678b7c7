// A secret shown once (a scanner token, a webhook's signing secret): read-only, selected on
// focus, with a copy button that falls back to selecting it where the clipboard is refused.
import { useId, useRef, useState, type ReactNode } from 'react';

export function SecretField({
  label,
  value,
  children,
}: {
  label: string;
  value: string;
  children?: ReactNode;
}) {
  const id = useId();
  const field = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('Copied.');
    } catch {
      field.current?.select();
      setCopied('Selected: copy it with your keyboard.');
    }
  };
  return (
    <div className="admin-secret" data-testid="secret">
      <label htmlFor={id}>{label}</label>
      <div className="admin-secret-row">
        <input
          id={id}
          ref={field}
          readOnly
          value={value}
          spellCheck={false}
          onFocus={(e) => e.target.select()}
        />
        <button type="button" className="admin-secondary" onClick={() => void copy()}>
          Copy
        </button>
      </div>
      {children}
      <p role="status" className="admin-help">
        {copied}
      </p>
    </div>
  );
}
