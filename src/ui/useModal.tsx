import { useEffect, useRef } from 'react';
import type { RefObject } from 'react';

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
