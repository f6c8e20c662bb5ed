// The keyboard card ("?"): everything the tables and the window answer to, in one place.

const KEYS: [string, string][] = [
  ['↑ ↓  PgUp PgDn  Home End', 'move in the focused table'],
  ['→', 'expand, then step into the first (largest) child'],
  ['←', 'collapse, then step out to the parent'],
  ['Enter / double-click', 'expand or collapse; in reference lists, go to the object'],
  ['Ctrl/⌘ + F', 'search types, values and 0x addresses; "in quotes" for the whole name or value'],
  ['Escape', 'close the search results'],
  ['Backspace  or  Alt + ←', 'back to the previous selection'],
  ['Alt + →', 'forward'],
  ['Double-click a rectangle', 'zoom the treemap into it; the breadcrumb zooms out'],
  ['Double-click a pane border', 'back to its default size (drag it to resize; sizes are remembered)'],
  ['?', 'show or hide this card'],
];

export function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  return (
    <div className="help-card" role="dialog" aria-label="Keyboard shortcuts" data-testid="shortcuts-help">
      <div className="help-head">
        <b>Keyboard</b>
        <button type="button" className="link" onClick={onClose}>
          Close
        </button>
      </div>
      <dl>
        {KEYS.map(([keys, what]) => (
          <div key={keys} className="help-row">
            <dt>
              <kbd>{keys}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
