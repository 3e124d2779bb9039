import type { LabStore } from '../../state/store';
import { RECEIPT_PREFIX, challengeScenarioId } from '../../state/challengeIds';

/**
 * Opens a receipt link (`#receipt=z:…`): the attempt, as the challenge's scenario, in the lab;
 * the challenge panel then grades it again from scratch (nothing in the link is trusted, and a
 * verdict is not in it). A link that cannot be read, or names no challenge, says so.
 */
export async function openReceiptLink(store: LabStore, hash: string): Promise<void> {
  if (!hash.startsWith(RECEIPT_PREFIX)) return;
  const [{ decodeReceipt }, { loadChallenge }] = await Promise.all([
    import('../../sim/challenge/receipt'),
    import('../../state/challenges'),
  ]);
  const a = store.getState().actions;
  const d = decodeReceipt(hash);
  if (!d.ok) {
    a.notify('error', `This receipt could not be opened: ${d.error}.`);
    return;
  }
  const c = await loadChallenge(d.receipt.challenge);
  if (!c.ok) {
    a.notify('error', `This receipt could not be opened: ${c.error}.`);
    return;
  }
  a.openScenario(d.receipt.scenario, 0, challengeScenarioId(c.file.challenge.id), { keep: c.file.scenario.actions });
}
