import { test, expect } from '@playwright/test';

/**
 * The check, as it states it: no long task over 50 ms while the 50-agent crowd plays
 * its 1,000 ticks (here at 100 ticks a second), as PerformanceObserver('longtask') reports
 * it in the page, the way a user's browser would.
 *
 * A long task is wall time, so a machine loaded by other work can produce one that the app
 * did not cause. As extra information (never asserted), the report also carries the
 * renderer main thread's own CPU time per task from a Chromium trace: what the app itself
 * costs, whatever else runs on the machine. Run this on a quiet machine.
 */

declare global {
  interface Window {
    __longTasks?: { start: number; duration: number }[];
  }
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

// Playwright's own trace records a screencast frame and a DOM snapshot around every action:
// work in the page that is the harness's, not the app's, and that a user's browser never does.
test.use({ trace: 'off', screenshot: 'off', video: 'off' });

test('no long task over 50 ms while playing 1,000 ticks with 50 agents', async ({ page, browser }) => {
  // Part of npm test since session 15, when it passed 10 runs in 10 on a quiet 2-core machine
  // (2 in 3 with another process holding one core busy). Before: frames rebuilt every
  // panel's view and re-rastered an SVG message layer over the whole diagram, and the
  // harness's own screencast (above) ran in the page.
  test.setTimeout(120_000);
  await page.goto('/');
  await page.getByLabel('Scenario', { exact: true }).selectOption('crowd');
  const pause = page.getByRole('button', { name: 'Pause' });
  if (await pause.isVisible()) await pause.click();
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  await page.getByRole('slider', { name: 'Tick' }).focus();
  await page.keyboard.press('Home');
  await expect(page.locator('.tick-readout')).toContainText('tick 0 / 1000');
  await page.getByLabel('Speed').selectOption('100');
  // A crowded ring shows "50"; the name begins with that, then says whom.
  await expect(page.getByRole('button', { name: /^50: agent50[.,]/ })).toBeVisible();
  // Let loading settle, then watch.
  await page.waitForTimeout(500);
  await page.evaluate(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries())
        window.__longTasks!.push({ start: Math.round(e.startTime), duration: Math.round(e.duration) });
    }).observe({ type: 'longtask' });
  });

  // PERF_TRACE=0 leaves the trace (and its own load on the machine) out.
  const tracing = process.env['PERF_TRACE'] !== '0';
  if (tracing) await browser.startTracing(page, { categories: ['toplevel', 'devtools.timeline'] });
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.locator('.tick-readout')).toContainText('tick 1000 / 1000', { timeout: 90_000 });
  await page.waitForTimeout(300);
  const trace = tracing ? await browser.stopTracing() : null;
  const wallLong = await page.evaluate(() => window.__longTasks ?? []);
  test
    .info()
    .annotations.push({ type: 'long tasks (PerformanceObserver, wall time)', description: JSON.stringify(wallLong) });
  if (trace) traceFigures(trace);
  expect(wallLong, `long tasks (PerformanceObserver): ${JSON.stringify(wallLong)}`).toEqual([]);
});

/** The renderer main thread's CPU time per task, attached to the report (never asserted). */
function traceFigures(trace: Buffer): void {
  const events = (JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  // The page's main thread: the renderer main thread that ran the animation frames.
  const frames = new Map<string, number>();
  for (const e of events)
    if (e.name === 'FireAnimationFrame') frames.set(`${e.pid}:${e.tid}`, (frames.get(`${e.pid}:${e.tid}`) ?? 0) + 1);
  const main = [...frames.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (!main) return;
  const tasks = events.filter(
    (e) => e.ph === 'X' && e.name === 'ThreadControllerImpl::RunTask' && `${e.pid}:${e.tid}` === main,
  );
  const cpuLong = tasks
    .filter((e) => (e.tdur ?? 0) > 50_000)
    .map((e) => ({ wallMs: Math.round((e.dur ?? 0) / 1000), cpuMs: Math.round((e.tdur ?? 0) / 1000) }));
  const maxCpu = Math.max(0, ...tasks.map((e) => (e.tdur ?? 0) / 1000));

  const longest = [...tasks]
    .sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0))
    .slice(0, 3)
    .map((e) => ({ wallMs: Math.round((e.dur ?? 0) / 1000), cpuMs: Math.round((e.tdur ?? 0) / 1000) }));
  test.info().annotations.push(
    {
      type: 'main-thread tasks',
      description: `${tasks.length}, longest CPU time ${maxCpu.toFixed(1)} ms; longest by wall time ${JSON.stringify(longest)}`,
    },
    { type: 'tasks over 50 ms of main-thread CPU (trace)', description: JSON.stringify(cpuLong) },
  );
}
