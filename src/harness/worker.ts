import { examples, hashAll, type HashResult } from './run';

/** Runs every example in this Worker (its own bundle of the engine) and posts the hashes. */
export type WorkerReply = { ok: true; results: HashResult[] } | { ok: false; error: string };

self.onmessage = () => {
  let reply: WorkerReply;
  try {
    reply = { ok: true, results: hashAll(examples()) };
  } catch (e) {
    reply = { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
  self.postMessage(reply);
};
