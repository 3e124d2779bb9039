/**
 * Which element a key belongs to. Space is the lab's play / pause (a presenter's "next"),
 * except where the focused element needs it: a button presses, a field types, a checkbox
 * ticks. The timeline's slider does nothing with Space, so there it plays and pauses too.
 */

export function isRange(el: EventTarget | null): boolean {
  return el instanceof HTMLInputElement && el.type === 'range';
}

/** A field that takes the key itself (text, select, checkbox), not the timeline's slider. */
export function isTyping(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement) || isRange(el)) return false;
  const tag = el.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable;
}

/** Space or Enter presses it. */
export function isPressable(el: EventTarget | null): el is Element {
  if (!(el instanceof Element)) return false;
  const tag = el.tagName;
  const role = el.getAttribute('role');
  return (
    tag === 'BUTTON' || tag === 'A' || tag === 'SUMMARY' || role === 'button' || role === 'tab' || role === 'radio'
  );
}

/** The slider keeps its own keys (arrows, Home, End, Page Up / Down); Space it leaves to the page. */
export function keepsKey(el: EventTarget | null, key: string): boolean {
  return isTyping(el) || (isRange(el) && key !== ' ');
}

/** Where Space means play / pause: not a control that takes Space itself. */
export function spaceIsPlay(el: EventTarget | null): boolean {
  return !isTyping(el) && !isPressable(el);
}
