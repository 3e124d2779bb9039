import { useEffect, useId, useRef } from 'react';
import type { ReactNode, RefObject } from 'react';

/**
 * Keeps a native <dialog> shown as a modal exactly while `open` is true. Native modals trap
 * focus and close on Esc, which is why every dialog here is one.
 */
export function useModal(open: boolean): RefObject<HTMLDialogElement | null> {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return ref;
}

/** A native modal dialog with a heading and a Close button (Esc closes it too). */
export function ModalDialog({
  open,
  onClose,
  className,
  title,
  children,
}: {
  open: boolean;
  onClose: () => void;
  className: string;
  title: string;
  children: ReactNode;
}) {
  const ref = useModal(open);
  const titleId = useId();
  return (
    <dialog ref={ref} className={className} aria-labelledby={titleId} onClose={onClose} onCancel={onClose}>
      <h2 id={titleId}>{title}</h2>
      {children}
      <form method="dialog">
        <button type="submit" autoFocus>
          Close
        </button>
      </form>
    </dialog>
  );
}
