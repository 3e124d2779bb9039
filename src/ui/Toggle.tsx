import type { ReactNode } from 'react';

/**
 * A fault that is on or off (a crash, a cut link) is one button whose words never change,
 * pressed while the fault lasts: two buttons in one place ("Crash store" giving way to
 * "Recover store" under the pointer) let the next Space undo what the last one did.
 */
export function Toggle({
  pressed,
  onPress,
  disabled = false,
  children,
}: {
  pressed: boolean;
  onPress: () => void;
  disabled?: boolean;
  children: ReactNode;
}) {
  return (
    <button type="button" className="toggle" aria-pressed={pressed} onClick={onPress} disabled={disabled}>
      {children}
    </button>
  );
}
