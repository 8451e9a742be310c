import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

export interface DialogProps {
  title: ReactNode;
  /** a line under the title: what the dialog is about (an address, a count). */
  subtitle?: ReactNode;
  onCancel: () => void;
  children: ReactNode;
  footer: ReactNode;
  className?: string;
  /** makes body and footer one form: Enter in a field submits, as with the footer's submit button. */
  onSubmit?: () => void;
}

const FOCUSABLE = 'button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [href], [tabindex]:not([tabindex="-1"])';

/**
 * A modal dialog: over the page, focus inside it (on the element marked data-autofocus, else the
 * first control), Tab kept inside, Escape or a click outside cancels, and focus goes back where
 * it was. Written by hand because jsdom has no <dialog>.showModal() for the component tests.
 */
export function Dialog({ title, subtitle, onCancel, children, footer, className, onSubmit }: DialogProps) {
  const titleId = useId();
  const ref = useRef<HTMLDivElement>(null);
  const onCancelRef = useRef(onCancel);
  onCancelRef.current = onCancel;

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const box = ref.current;
    const first = box?.querySelector<HTMLElement>('[data-autofocus]') ?? box?.querySelector<HTMLElement>(FOCUSABLE);
    first?.focus();
    return () => {
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    // The page's shortcuts (`/` to search) wait while a modal is open.
    e.stopPropagation();
    if (e.key === 'Escape') {
      onCancelRef.current();
      return;
    }
    if (e.key !== 'Tab') return;
    const items = [...(ref.current?.querySelectorAll<HTMLElement>(FOCUSABLE) ?? [])];
    if (items.length === 0) return;
    const first = items[0]!;
    const last = items.at(-1)!;
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  };

  return createPortal(
    <div
      className="dialog-backdrop"
      onMouseDown={(e) => {
        if (e.target === e.currentTarget) onCancelRef.current();
      }}
    >
      <div ref={ref} className={`dialog ${className ?? ''}`.trim()} role="dialog" aria-modal="true" aria-labelledby={titleId} onKeyDown={onKeyDown}>
        <div className="dialog-head">
          <h2 id={titleId}>{title}</h2>
          {subtitle ? <div className="dialog-subtitle">{subtitle}</div> : null}
        </div>
        {onSubmit ? (
          // The body scrolls on a short window (a phone): focusable, so a keyboard can scroll it (axe scrollable-region-focusable).
          <form
            onSubmit={(e) => {
              e.preventDefault();
              onSubmit();
            }}
          >
            <div className="dialog-body" tabIndex={0}>{children}</div>
            <footer className="dialog-foot">{footer}</footer>
          </form>
        ) : (
          <>
            <div className="dialog-body" tabIndex={0}>{children}</div>
            <footer className="dialog-foot">{footer}</footer>
          </>
        )}
      </div>
    </div>,
    document.body,
  );
}
