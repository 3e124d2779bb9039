/**
 * The app's figures, measured on the built site (dist/, from `npx vite build`) served by
 * `vite preview`, in Chromium through playwright-core. Nothing is built here.
 *
 * - JS the first page load needs, gzipped (each script file the page fetched before its
 *   first interactive render, gzipped as Vite reports it), and the same with the
 *   simulation worker, which starts right after.
 * - Time to the first interactive render: the page's `statelab:interactive` mark (set once
 *   React has committed the first screen), median of fresh loads.
 * - Frames per second while playing the default scene and the 50-agent crowd, and long
 *   tasks (> 50 ms) while the crowd plays at the fastest speed: as wall time
 *   (PerformanceObserver, which includes waiting for a core on a busy machine) and as the
 *   main thread's own CPU time per task (a Chromium trace).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';

export interface Figure {
  name: string;
  value: number;
  unit: string;
  target?: string;
}

const PORT = 4179;
const BASE = `http://127.0.0.1:${PORT}/`;

async function waitForServer(url: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > until) throw new Error(`vite preview did not answer at ${url}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function startPreview(): ChildProcess {
  const bin = join('node_modules', '.bin', 'vite');
  return spawn(bin, ['preview', '--port', String(PORT), '--strictPort', '--host', '127.0.0.1'], { stdio: 'ignore' });
}

function gzipKB(urlPath: string): number {
  const file = join('dist', decodeURIComponent(new URL(urlPath, BASE).pathname));
  if (!existsSync(file)) return 0;
  return gzipSync(readFileSync(file)).length / 1024;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

async function loadFresh(browser: Browser): Promise<{ interactiveMs: number; firstJs: string[]; allJs: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  const all = new Set<string>();
  context.on('request', (r) => {
    if (r.url().endsWith('.js')) all.add(r.url());
  });
  await page.goto(BASE);
  await page.getByRole('button', { name: /^(Play|Pause)$/ }).waitFor();
  await page.waitForTimeout(1500);
  // Page code as strings: tsx would wrap functions with helpers the page does not have.
  const r = await page.evaluate<{ interactiveMs: number; firstJs: string[] }>(`(() => {
    const mark = performance.getEntriesByName('statelab:interactive')[0];
    const at = mark ? mark.startTime : NaN;
    const firstJs = performance.getEntriesByType('resource')
      .filter((e) => e.name.endsWith('.js') && e.startTime <= at)
      .map((e) => e.name);
    return { interactiveMs: at, firstJs };
  })()`);
  await context.close();
  return { interactiveMs: r.interactiveMs, firstJs: r.firstJs, allJs: [...all] };
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  tdur?: number;
}

/** The longest main-thread CPU time of one task in a trace (wall time waits for a core; CPU time is the app's own cost). */
function longestCpuMs(trace: Buffer): number {
  const events = (JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  const frames = new Map<string, number>();
  for (const e of events)
    if (e.name === 'FireAnimationFrame') frames.set(`${e.pid}:${e.tid}`, (frames.get(`${e.pid}:${e.tid}`) ?? 0) + 1);
  const main = [...frames.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  let max = 0;
  for (const e of events)
    if (e.ph === 'X' && e.name === 'ThreadControllerImpl::RunTask' && `${e.pid}:${e.tid}` === main)
      max = Math.max(max, (e.tdur ?? 0) / 1000);
  return Math.round(max * 10) / 10;
}

async function playFor(
  page: Page,
  scenario: string,
  speed: string,
  ms: number,
  browser?: Browser,
): Promise<{ fps: number; longTasks: number[]; maxCpuMs: number | null }> {
  await page.goto(BASE);
  await page.getByLabel('Scenario', { exact: true }).selectOption(scenario);
  const pause = page.getByRole('button', { name: 'Pause' });
  if (await pause.isVisible()) await pause.click();
  await page.getByRole('slider', { name: 'Tick' }).focus();
  await page.keyboard.press('Home');
  await page.getByLabel('Speed').selectOption(speed);
  await page.waitForTimeout(1000);
  await page.evaluate(`(() => {
    window.__lt = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__lt.push(Math.round(e.duration)); }).observe({ type: 'longtask' });
  })()`);
  if (browser) await browser.startTracing(page, { categories: ['toplevel', 'devtools.timeline'] });
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForTimeout(300);
  const fps = await page.evaluate<number>(`new Promise((resolve) => {
    let n = 0;
    const t0 = performance.now();
    const f = (t) => { n++; if (t - t0 < ${ms}) requestAnimationFrame(f); else resolve(n / ((t - t0) / 1000)); };
    requestAnimationFrame(f);
  })`);
  const longTasks = await page.evaluate<number[]>('window.__lt');
  const maxCpuMs = browser ? longestCpuMs(await browser.stopTracing()) : null;
  return { fps: Math.round(fps * 10) / 10, longTasks, maxCpuMs };
}

/**
 * The Compare view in the browser: from the click to every panel scored (the worker runs and
 * scores them), and what the page's main thread went through meanwhile: long tasks and the
 * longest gap between two frames (a gap is what a person sees as a freeze).
 */
async function compareInBrowser(
  page: Page,
  browser?: Browser,
): Promise<{ ms: number; longTasks: number[]; maxGapMs: number; maxCpuMs: number | null }> {
  await page.goto(BASE);
  await page.getByRole('button', { name: /^(Play|Pause)$/ }).waitFor();
  await page.evaluate(`(() => {
    window.__lt = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__lt.push(Math.round(e.duration)); }).observe({ type: 'longtask' });
    window.__gap = 0;
    window.__frames = true;
    let last = performance.now();
    const f = (t) => { window.__gap = Math.max(window.__gap, t - last); last = t; if (window.__frames) requestAnimationFrame(f); };
    requestAnimationFrame(f);
  })()`);
  // A pointer rests on a button before it clicks: the hover starts loading the view's module.
  const button = page.getByRole('navigation', { name: 'Architecture' }).getByRole('button', { name: 'Compare' });
  await button.hover();
  await page.waitForTimeout(300);
  if (browser) await browser.startTracing(page, { categories: ['toplevel', 'devtools.timeline'] });
  const t0 = Date.now();
  await button.click();
  // One cheap query ten times a second, not getByText: text matching walks the page every
  // frame and would be much of the main thread's work being measured. Waiting for the progress
  // bar to come and go missed it once the run got faster than the polling.
  await page.waitForFunction(
    `/^All \\d+ panels run and scored/.test(document.querySelector('.cmp-run')?.textContent ?? '')`,
    null,
    { timeout: 120_000, polling: 100 },
  );
  const ms = Date.now() - t0;
  const longTasks = await page.evaluate<number[]>('window.__lt');
  const maxGapMs = await page.evaluate<number>('(window.__frames = false, Math.round(window.__gap))');
  const maxCpuMs = browser ? longestCpuMs(await browser.stopTracing()) : null;
  return { ms, longTasks, maxGapMs, maxCpuMs };
}

export async function appBench(): Promise<Figure[]> {
  const server = startPreview();
  let browser: Browser | null = null;
  try {
    await waitForServer(BASE, 30_000);
    browser = await chromium.launch({
      executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu'],
    });
    const loads = [];
    for (let i = 0; i < 5; i++) loads.push(await loadFresh(browser));
    const first = loads[loads.length - 1]!;
    const firstKB = first.firstJs.reduce((n, u) => n + gzipKB(u), 0);
    const allKB = first.allJs.reduce((n, u) => n + gzipKB(u), 0);

    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    const def = await playFor(page, 'default', '10', 4000);
    const crowd = await playFor(page, 'crowd', '10', 4000);
    const stress = await playFor(page, 'crowd', '200', 4000);
    const traced = await playFor(page, 'crowd', '200', 4000, browser);
    const cmp = await compareInBrowser(page);
    const cmpTraced = await compareInBrowser(page, browser);
    return [
      {
        name: 'JS for the first interactive render (gzip)',
        value: Math.round(firstKB * 10) / 10,
        unit: 'KB',
        target: '≤ 170 KB',
      },
      { name: 'JS including the simulation worker (gzip)', value: Math.round(allKB * 10) / 10, unit: 'KB' },
      {
        name: 'Time to first interactive render (median of 5 fresh loads)',
        value: Math.round(median(loads.map((l) => l.interactiveMs))),
        unit: 'ms',
        target: '< 1500 ms',
      },
      { name: 'Frames per second, default scene playing (10 ticks/s)', value: def.fps, unit: 'fps', target: '≥ 55' },
      { name: 'Frames per second, 50 agents playing (10 ticks/s)', value: crowd.fps, unit: 'fps', target: '≥ 55' },
      { name: 'Frames per second, 50 agents playing (200 ticks/s)', value: stress.fps, unit: 'fps', target: '≥ 55' },
      {
        name: 'Long tasks > 50 ms, 50 agents at 200 ticks/s for 4 s',
        value: stress.longTasks.length,
        unit: '',
        target: '0',
      },
      {
        name: 'Longest task (wall time), 50 agents at 200 ticks/s',
        value: Math.max(0, ...stress.longTasks),
        unit: 'ms',
        target: '≤ 50 ms',
      },
      {
        name: 'Longest task (main-thread CPU, traced), 50 agents at 200 ticks/s',
        value: traced.maxCpuMs ?? NaN,
        unit: 'ms',
        target: '≤ 50 ms',
      },
      {
        name: 'Compare in the browser: click (after a 300 ms hover) to all 6 panels scored (worker)',
        value: cmp.ms,
        unit: 'ms',
        target: '< 10,000 ms',
      },
      {
        name: 'Compare: long tasks > 50 ms on the page meanwhile (longest)',
        value: cmp.longTasks.length,
        unit: `(${Math.max(0, ...cmp.longTasks)} ms)`,
      },
      { name: 'Compare: longest gap between two frames meanwhile', value: cmp.maxGapMs, unit: 'ms' },
      {
        name: 'Compare: longest task (main-thread CPU, traced) meanwhile',
        value: cmpTraced.maxCpuMs ?? NaN,
        unit: 'ms',
        target: '≤ 50 ms',
      },
    ];
  } finally {
    await browser?.close();
    server.kill();
  }
}
