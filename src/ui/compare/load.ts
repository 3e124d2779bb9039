/**
 * The Compare view's module, loaded on first use. The Compare button also starts it on hover
 * or focus: evaluating the chunk takes about 50 ms, which then happens before the click,
 * not inside it.
 */
export const loadCompareView = () => import('./CompareView');
