/**
 * Okabe-Ito: eight colours that stay distinct under the common colour-vision deficiencies.
 * Agents cycle through the seven chromatic ones (black is kept for outlines and text).
 * Colour is never the only carrier of meaning: shapes, dashes and words come first.
 */
export const OKABE_ITO = ['#E69F00', '#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7'] as const;

/** A stable colour per agent: by the number in its id when it has one, else by a string hash. */
export function agentColour(id: string): string {
  const m = /(\d+)$/.exec(id);
  let n: number;
  if (m) n = Number(m[1]) - 1;
  else {
    n = 0;
    for (let i = 0; i < id.length; i++) n = (n * 31 + id.charCodeAt(i)) >>> 0;
  }
  return OKABE_ITO[((n % OKABE_ITO.length) + OKABE_ITO.length) % OKABE_ITO.length]!;
}
