// The dashboard's shell: sign-in, a hash router (the server serves one page at /; every path after # is
// ours, so no route of the API can collide with a page), and one page at a time, each given an AbortSignal
// that stops its live streams when the user leaves it.
import { auth, api, ApiError } from './api.js';
import { h, message } from './dom.js';
import { experimentsPage } from './pages/experiments.js';
import { experimentPage } from './pages/experiment.js';
import { resultsPage } from './pages/results.js';
import { pairedPage } from './pages/paired.js';
import { checkpointsPage, benchmarksPage } from './pages/catalog.js';
import { completionsPage } from './pages/completions.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
let current = null;

const routes = [
  [/^\/?$/, () => experimentsPage],
  [/^\/experiments\/([^/]+)$/, m => ctx => experimentPage(ctx, m[1])],
  [/^\/experiments\/([^/]+)\/results$/, m => ctx => resultsPage(ctx, m[1])],
  [/^\/experiments\/([^/]+)\/items(?:\/([^/]+))?$/, m => ctx => pairedPage(ctx, m[1], m[2] ? decodeURIComponent(m[2]) : null)],
  [/^\/experiments\/([^/]+)\/completions$/, m => ctx => completionsPage(ctx, m[1])],
  [/^\/checkpoints$/, () => checkpointsPage],
  [/^\/benchmarks$/, () => benchmarksPage],
];

function signInPage(reason) {
  nav.hidden = true;
  const input = h('input', { id: 'api-key', name: 'api-key', type: 'password', autocomplete: 'off', required: true, spellcheck: 'false' });
  const error = h('p', { class: 'field-error', id: 'api-key-error', role: 'alert' }, reason || '');
  const form = h('form', { class: 'signin', 'aria-labelledby': 'signin-title' },
    h('h1', { id: 'signin-title' }, 'Sign in'),
    h('p', {}, 'Paste an API key of your tenant (the AppHost prints the local one and keeps it in .data/local-api-key). ',
      'It stays in this tab only (session storage) and is sent as a bearer token with each request.'),
    h('label', { for: 'api-key' }, 'API key'), input, error,
    h('button', { type: 'submit' }, 'Sign in'));
  form.addEventListener('submit', async e => {
    e.preventDefault();
    auth.signIn(input.value.trim());
    try {
      await api('/api/v1/experiments?limit=1'); // proves the key before showing anything
      route();
    } catch (err) {
      auth.signOut();
      error.textContent = err instanceof ApiError && err.status === 401 ? 'This key was refused.' : `Sign-in failed: ${err.message}`;
      input.focus();
    }
  });
  main.replaceChildren(form);
  input.focus();
}

export function notFound(what) {
  main.replaceChildren(h('div', { class: 'not-found' }, h('h1', {}, 'Not found'),
    h('p', {}, `${what} does not exist, or it belongs to another tenant.`), h('p', {}, h('a', { href: '#/' }, 'Back to the experiments'))));
  document.title = 'Not found — BeneficialRL';
}

async function route() {
  current?.abort();
  if (!auth.key) { signInPage(); return; }
  nav.hidden = false;
  const controller = new AbortController();
  current = controller;
  const path = decodeURI(location.hash.replace(/^#/, '').split('?')[0]) || '/';
  for (const [pattern, make] of routes) {
    const m = path.match(pattern);
    if (!m) continue;
    main.replaceChildren(h('p', { class: 'loading' }, 'Loading…'));
    try {
      await make(m)({ main, signal: controller.signal, notFound });
    } catch (e) {
      if (controller.signal.aborted) return;
      if (e instanceof ApiError && e.status === 404) notFound('This resource');
      else if (e instanceof ApiError && e.status === 401) return;
      else main.replaceChildren(message(`Could not load this page: ${e.message}`, 'error'));
    }
    main.focus({ preventScroll: true });
    return;
  }
  notFound(`The page ${path}`);
}

window.addEventListener('hashchange', route);
window.addEventListener('brl:unauthorized', () => { auth.signOut(); current?.abort(); signInPage('Your key was refused (revoked or mistyped); sign in again.'); });
document.getElementById('sign-out').addEventListener('click', () => { auth.signOut(); current?.abort(); signInPage(); });
route();
