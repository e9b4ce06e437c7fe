import { ledgerClient } from './api';
import { showCustomer } from './customer-page';
import { el } from './dom';
import { showPartner } from './partner-page';

/** The token is kept for this tab only: sessionStorage is dropped when the tab closes and never leaves the browser. */
const TOKEN_KEY = 'ledger-token';

const main = document.getElementById('main') as HTMLElement;
const tokenForm = document.getElementById('token-form') as HTMLFormElement;
const tokenInput = document.getElementById('token') as HTMLInputElement;
const tokenState = document.getElementById('token-state') as HTMLElement;
const findForm = document.getElementById('find-form') as HTMLFormElement;

function token(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

function showTokenState(): void {
  tokenState.textContent = token() ? 'A token is in use in this tab.' : 'No token yet: enter one to read the ledger.';
  findForm.toggleAttribute('hidden', !token());
}

/** Shows what the address names: `#/customer/<id>` or `#/partner/<id>`. */
async function route(): Promise<void> {
  const [, kind, id] = /^#\/(customer|partner)\/(.+)$/.exec(location.hash) ?? [];
  const current = token();
  if (!current || !kind || !id) {
    main.replaceChildren(el('p', {}, current ? 'Find a customer or a partner by its id.' : 'Enter a token above.'));
    return;
  }
  const show = kind === 'customer' ? showCustomer : showPartner;
  try {
    await show(ledgerClient(current), decodeURIComponent(id), main);
    main.focus();
  } catch (error) {
    main.replaceChildren(el('p', { class: 'notice', role: 'alert' }, (error as Error).message));
  }
}

tokenForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const value = tokenInput.value.trim();
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
  tokenInput.value = '';
  showTokenState();
  void route();
});

findForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const data = new FormData(findForm);
  const id = String(data.get('id') ?? '').trim();
  if (id) location.hash = `#/${String(data.get('kind'))}/${encodeURIComponent(id)}`;
});

window.addEventListener('hashchange', () => void route());
showTokenState();
void route();
