// The REST API, as any client reads it: every request carries the signed-in key as a bearer token.
// The key lives in sessionStorage (this tab only, gone when it closes) and never in a cookie, so the
// browser never attaches it by itself: no request can be forged from another site (no CSRF surface).

const KEY = 'brl.apiKey';

export const auth = {
  get key() { return sessionStorage.getItem(KEY); },
  signIn(key) { sessionStorage.setItem(KEY, key); },
  signOut() { sessionStorage.removeItem(KEY); },
};

/** An API refusal: the HTTP status and the RFC 7807 problem document (field, errors) when there is one. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

export async function api(path, { method = 'GET', body, headers = {}, signal } = {}) {
  const h = { Accept: 'application/json', ...headers };
  if (auth.key) h.Authorization = `Bearer ${auth.key}`;
  if (body !== undefined) h['Content-Type'] = 'application/json';
  if (method !== 'GET') h['Idempotency-Key'] = crypto.randomUUID();
  const response = await fetch(path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body), signal });
  if (!response.ok) {
    let problem = null;
    try { problem = await response.json(); } catch { /* not a problem document */ }
    if (response.status === 401) window.dispatchEvent(new CustomEvent('brl:unauthorized'));
    throw new ApiError(response.status, problem);
  }
  const type = response.headers.get('Content-Type') || '';
  if (type.includes('ndjson')) return (await response.text()).split('\n').filter(l => l.trim()).map(l => JSON.parse(l));
  if (type.includes('json')) return response.json();
  return response.text();
}

/** Every page of a listing (`?limit=&continuationToken=`), up to `max` items. */
export async function all(path, max = 1000) {
  const items = [];
  let token = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const page = await api(`${path}${sep}limit=200${token ? `&continuationToken=${encodeURIComponent(token)}` : ''}`);
    items.push(...page.items);
    token = page.continuationToken;
  } while (token && items.length < max);
  return items;
}

/**
 * Server-sent events read with fetch and a stream reader: EventSource cannot send an Authorization header.
 * Calls onEvent({id, event, data}) per event; resumes after the last id when the connection drops, until
 * the server ends the stream (after a terminal status) or the signal aborts.
 */
export async function follow(path, onEvent, signal) {
  let lastId = null;
  for (let attempt = 0; !signal.aborted && attempt < 20; attempt++) {
    try {
      const headers = { Accept: 'text/event-stream', Authorization: `Bearer ${auth.key}` };
      if (lastId) headers['Last-Event-ID'] = lastId;
      const response = await fetch(path, { headers, signal });
      if (!response.ok) throw new ApiError(response.status, null);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return; // the server ends the stream after a terminal status
        buffer += value.replaceAll('\r\n', '\n');
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const message = { id: null, event: 'message', data: '' };
          for (const line of block.split('\n')) {
            const colon = line.indexOf(':');
            if (colon === 0) continue;
            const field = colon < 0 ? line : line.slice(0, colon);
            const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
            if (field === 'data') message.data += (message.data ? '\n' : '') + text;
            else if (field === 'id') message.id = text;
            else if (field === 'event') message.event = text;
          }
          if (message.id) lastId = message.id;
          if (message.data) onEvent({ ...message, data: JSON.parse(message.data) });
        }
      }
    } catch (e) {
      if (signal.aborted) return;
      if (e instanceof ApiError && e.status !== 429 && e.status < 500) throw e;
      await new Promise(r => setTimeout(r, Math.min(5000, 250 * 2 ** attempt)));
    }
  }
}

/** Fetches a resource with the key and saves it: a plain link cannot carry the bearer header. */
export async function download(path, filename) {
  const response = await fetch(path, { headers: { Authorization: `Bearer ${auth.key}` } });
  if (!response.ok) throw new ApiError(response.status, null);
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
