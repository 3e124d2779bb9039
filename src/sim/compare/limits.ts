/** The comparison format's version and caps: zod-free, shared by the validator and the engine. */
export const COMPARISON_FORMAT = 1;
export const MAX_PANELS = 8;
export const MAX_GROUPS = 8;
/** A comparison link's fragment starts so (codec.ts); the page checks it without the decoder. */
export const COMPARE_FRAGMENT = '#c=';
