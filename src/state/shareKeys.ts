/**
 * Where sharing keeps work in the browser's storage, and what a share link's fragment starts
 * with. Apart from share.ts so the page can tell, before loading the decoder (and its schema
 * validator), whether it has anything to decode at all.
 */
/** Where StateLab kept work before recent work (IndexedDB): moved into it once, then cleared. */
export const AUTOSAVE_KEY = 'statelab-autosave';
export const PREVIOUS_KEY = 'statelab-previous-work';
export const LINK_PREFIX = '#s=';

/** Whether a fragment holds a share link: `#s=…`, or after a page flag (`#embed&s=…`). */
export function hasShareLink(hash: string): boolean {
  return hash
    .replace(/^#/, '')
    .split('&')
    .some((t) => t.startsWith('s='));
}

/**
 * How the page shows itself, from flags after the fragment's link or lesson
 * (`#s=…&embed`, `#lesson=cap&step=2&present`): `embed` for an iframe on a course page
 * (minimal chrome), `present` for the projector, `audience` for a window that follows a
 * presenter's window. Read before anything heavy loads.
 */
export interface PageFlags {
  embed: boolean;
  present: boolean;
  audience: boolean;
}

export function readFlags(hash: string): PageFlags {
  const tokens = new Set(hash.replace(/^#/, '').split('&'));
  return { embed: tokens.has('embed'), present: tokens.has('present'), audience: tokens.has('audience') };
}

/** A link with the embed flag added (after its fragment, where readFlags looks). */
export function embedLink(link: string): string {
  if (readFlags(link.replace(/^[^#]*/, '')).embed) return link;
  return link.includes('#') ? `${link}&embed` : `${link}#embed`;
}

/** A link without the embed flag, wherever it stands in the fragment: the whole app on the same thing. */
export function withoutEmbed(link: string): string {
  const at = link.indexOf('#');
  if (at < 0) return link;
  const rest = link
    .slice(at + 1)
    .split('&')
    .filter((t) => t !== 'embed' && t !== '')
    .join('&');
  return rest ? `${link.slice(0, at)}#${rest}` : link.slice(0, at);
}

const attr = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The iframe a course page pastes to embed a link (embed mode: the diagram, the lesson and
 * the timeline). The title names the scenario for screen readers; both attributes are
 * escaped, since a scenario's name comes from whoever made the link.
 */
export function embedSnippet(link: string, title: string): string {
  return `<iframe src="${attr(embedLink(link))}" title="${attr(`StateLab: ${title}`)}" width="100%" height="640" style="border:0" loading="lazy"></iframe>`;
}

/** `#lesson=<id>&step=<n>` (steps count from 1 in links, as people count them). */
export interface LessonLink {
  lesson: string;
  /** From 0; a step that is not a whole number ≥ 1 reads as the first. */
  step: number;
  /** The `step` as the link wrote it (null: none), so a clamped step can be said. */
  asked: string | null;
}

export function readLessonLink(hash: string): LessonLink | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const lesson = params.get('lesson');
  if (!lesson) return null;
  const asked = params.get('step');
  const n = Number(asked ?? '1');
  return { lesson, step: Number.isInteger(n) && n >= 1 ? n - 1 : 0, asked };
}

export function lessonLink(base: string, id: string, step: number, extra = ''): string {
  return `${base.replace(/#.*$/, '')}#lesson=${encodeURIComponent(id)}&step=${step + 1}${extra}`;
}
