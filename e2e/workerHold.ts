import type { BrowserContext, Page } from '@playwright/test';

/**
 * A test-only hold on the app's Web Workers: answers of the given types (protocol.ts'
 * FromWorker `type`) are kept back from the page until the test releases them, so a test
 * that cancels a seek means the same on a fast machine and a slow one. It wraps the page's
 * `Worker` before the app loads; nothing of it is in the app's bundle (scripts/test.sh greps
 * the built files for HOLD_GLOBAL).
 */
export const HOLD_GLOBAL = '__statelabWorkerHold';

interface Hold {
  types: string[];
  held: (() => void)[];
}

/** For one page, or every page a context opens from now on. */
export async function holdWorkerAnswers(target: Page | BrowserContext, types: string[]): Promise<void> {
  await target.addInitScript(
    ({ name, types }) => {
      const hold: Hold = { types, held: [] };
      (window as unknown as Record<string, Hold>)[name] = hold;
      const Native = window.Worker;
      class HeldWorker extends Native {
        override set onmessage(fn: ((this: Worker, e: MessageEvent) => unknown) | null) {
          super.onmessage =
            fn === null
              ? null
              : (e: MessageEvent) => {
                  const type = (e.data as { type?: unknown } | null)?.type;
                  if (typeof type === 'string' && hold.types.includes(type)) hold.held.push(() => fn.call(this, e));
                  else fn.call(this, e);
                };
        }
        override get onmessage(): ((this: Worker, e: MessageEvent) => unknown) | null {
          return super.onmessage;
        }
      }
      window.Worker = HeldWorker;
    },
    { name: HOLD_GLOBAL, types },
  );
}

/** How many answers are held now (the worker has finished when its answer is among them). */
export async function heldAnswers(page: Page): Promise<number> {
  return page.evaluate((name) => (window as unknown as Record<string, Hold>)[name]?.held.length ?? 0, HOLD_GLOBAL);
}

/** Delivers every held answer, in order, before returning; later ones are held again. */
export async function releaseWorkerAnswers(page: Page): Promise<number> {
  return page.evaluate((name) => {
    const hold = (window as unknown as Record<string, Hold>)[name];
    if (hold === undefined) return 0;
    const held = hold.held.splice(0);
    for (const deliver of held) deliver();
    return held.length;
  }, HOLD_GLOBAL);
}
