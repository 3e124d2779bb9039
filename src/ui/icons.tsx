/**
 * Transport icons drawn as SVG: icon fonts and emoji glyphs are missing on some systems
 * (and on projector laptops), these are not. Always aria-hidden: the button text names it.
 */
type Name = 'start' | 'back' | 'play' | 'pause' | 'step' | 'end';

const PATHS: Record<Name, string> = {
  start: 'M3 2h2v12H3z M14 2v12L6 8z',
  back: 'M13 2v12L5 8z',
  play: 'M4 2v12l10-6z',
  pause: 'M4 2h3v12H4z M9 2h3v12H9z',
  step: 'M3 2v12l8-6z',
  end: 'M2 2v12l8-6z M11 2h2v12h-2z',
};

export function Icon({ name }: { name: Name }) {
  return (
    <svg className="icon" width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path d={PATHS[name]} fill="currentColor" />
    </svg>
  );
}
