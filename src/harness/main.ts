import { examples, hashAll, type HashResult } from './run';
import type { WorkerReply } from './worker';

const status = document.getElementById('status')!;
const tbody = document.getElementById('results')!;

function inWorker(): Promise<HashResult[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<WorkerReply>) => {
      worker.terminate();
      if (e.data.ok) resolve(e.data.results);
      else reject(new Error(e.data.error));
    };
    worker.onerror = (e) => {
      worker.terminate();
      reject(new Error(`worker failed: ${e.message || 'could not load'}`));
    };
    worker.postMessage('run');
  });
}

function render(main: HashResult[], worker: HashResult[]): void {
  const byFile = new Map(worker.map((r) => [r.file, r.hash]));
  for (const { file, hash } of main) {
    const tr = document.createElement('tr');
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = file;
    tr.append(th);
    for (const value of [hash, byFile.get(file) ?? 'error: missing in worker']) {
      const td = document.createElement('td');
      td.textContent = value;
      tr.append(td);
    }
    tbody.append(tr);
  }
}

async function run(): Promise<void> {
  status.textContent = 'running';
  // Start the Worker first so the two runtimes overlap; the main thread then runs its share.
  const workerResults = inWorker();
  const mainResults = hashAll(examples());
  render(mainResults, await workerResults);
  status.textContent = 'done';
}

run().catch((e: unknown) => {
  status.textContent = `failed: ${e instanceof Error ? e.message : String(e)}`;
});
