import type { DetailRow, PlayerAction, PlayerNotice } from '../shared/protocol';

/** Fills the details list; textContent only, so prompts and model names are never parsed as HTML. */
export function renderDetails(list: HTMLElement, rows: readonly DetailRow[]): void {
  const document = list.ownerDocument;
  list.replaceChildren(
    ...rows.flatMap(({ label, value }) => {
      const term = document.createElement('dt');
      term.textContent = label;
      const description = document.createElement('dd');
      description.textContent = value;
      return [term, description];
    }),
  );
}

/** Shows why the picture or sound will not play here, each notice with the way out (the system player). */
export function renderNotices(container: HTMLElement, notices: readonly PlayerNotice[], openLabel: string, open: () => void): void {
  const document = container.ownerDocument;
  container.replaceChildren(
    ...notices.map((notice) => {
      const box = document.createElement('div');
      box.className = `notice notice-${notice.kind}`;
      box.setAttribute('role', notice.kind === 'warning' ? 'note' : 'alert');
      const text = document.createElement('span');
      text.textContent = notice.text;
      box.append(text);
      if (notice.kind !== 'warning') {
        const button = document.createElement('button');
        button.type = 'button';
        button.className = 'secondary';
        button.textContent = openLabel;
        button.addEventListener('click', open);
        box.append(button);
      }
      return box;
    }),
  );
}

/** Shows only the action buttons that apply to this video. */
export function showActions(buttons: Iterable<HTMLButtonElement>, available: readonly PlayerAction[]): void {
  for (const button of buttons) button.hidden = !available.includes(button.dataset.action as PlayerAction);
}
