import { readFileSync } from 'node:fs';
import { checkHistoryText, type CheckReport } from '../src/sim/history/check';

/**
 * `sim check <file>`: reads a history (StateLab JSON, Jepsen etcd log or Porcupine kv log,
 * detected from the content) and returns the checker's full report as one JSON object.
 */
export function checkCommand(path: string, opts: { maxSteps?: number }): CheckReport & { file: string } {
  const text = readFileSync(path, 'utf8');
  const report = checkHistoryText(text, opts.maxSteps === undefined ? {} : { maxSteps: opts.maxSteps });
  return { file: path, ...report };
}
