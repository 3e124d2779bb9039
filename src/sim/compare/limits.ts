/** The comparison format's version and caps: zod-free, shared by the validator and the engine. */
export const COMPARISON_FORMAT = 1;
export const MAX_PANELS = 8;
export const MAX_GROUPS = 8;
