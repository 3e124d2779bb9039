import { ModalDialog } from './useModal';

export const SHORTCUTS: [string, string][] = [
  ['Space', 'Play or pause'],
  ['→', 'Step to the next tick where something happens'],
  ['←', 'Step back to the previous tick where something happened'],
  ['Ctrl + → / ←', 'One tick forward or back, whether or not anything happens'],
  ['Shift + → / ←', 'Jump 10 ticks forward or back'],
  ['Home / End', 'To the start / to the end'],
  ['[ / ]', 'Slower / faster'],
  ['Ctrl + Z', 'Undo the last action'],
  ['Space on a button', 'Presses it (after an act, focus returns to the diagram, where Space plays)'],
  ['Enter or Space on a link', 'Cut or heal it'],
  ['Enter or Space on a node', 'Inspect it'],
  ['Esc', 'Cancel a long seek'],
  ['?', 'This help'],
  ['Esc (in this help)', 'Close this help'],
];

/** The keyboard help, in a native modal dialog (focus is trapped and Esc closes it). */
export function HelpDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <ModalDialog open={open} onClose={onClose} className="help" title="Keyboard shortcuts">
      <table className="grid">
        <thead>
          <tr>
            <th scope="col">Key</th>
            <th scope="col">Does</th>
          </tr>
        </thead>
        <tbody>
          {SHORTCUTS.map(([k, what]) => (
            <tr key={k}>
              <td>
                <kbd>{k}</kbd>
              </td>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>Every control is also reachable with Tab. The diagram has a text version below it.</p>
    </ModalDialog>
  );
}
