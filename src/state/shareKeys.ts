/**
 * Where sharing keeps work in the browser's storage, and what a share link's fragment starts
 * with. Apart from share.ts so the page can tell, before loading the decoder (and its schema
 * validator), whether it has anything to decode at all.
 */
export const AUTOSAVE_KEY = 'statelab-autosave';
export const PREVIOUS_KEY = 'statelab-previous-work';
export const LINK_PREFIX = '#s=';
