// A small history router: the server answers index.html for every non-/api path without a
// file extension, so plain paths (/users, /audit) survive a reload.

export const route = $state({ path: normalise(location.pathname), search: location.search });

function normalise(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}

/** True for a path inside this app (refuses `//host` and `/\host`, which browsers treat as URLs). */
export function isAppPath(path: string): boolean {
  return path.startsWith('/') && !path.startsWith('//') && !path.startsWith('/\\') && !path.startsWith('/api/');
}

export function navigate(target: string, options: { replace?: boolean } = {}): void {
  if (!isAppPath(target)) target = '/';
  const url = new URL(target, location.origin);
  if (url.pathname === location.pathname && url.search === location.search) return;
  if (options.replace) history.replaceState(null, '', url.pathname + url.search);
  else history.pushState(null, '', url.pathname + url.search);
  route.path = normalise(url.pathname);
  route.search = url.search;
}

/** A query parameter of the current URL. */
export function queryParam(name: string): string | null {
  return new URLSearchParams(route.search).get(name);
}

function onPopState(): void {
  route.path = normalise(location.pathname);
  route.search = location.search;
}

// Same-origin links are followed in place, except downloads, /api links and modified clicks.
function onClick(event: MouseEvent): void {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const anchor = (event.target as Element | null)?.closest?.('a');
  if (!anchor || anchor.hasAttribute('download') || (anchor.target && anchor.target !== '_self')) return;
  const href = anchor.getAttribute('href');
  if (!href || !isAppPath(href)) return;
  event.preventDefault();
  navigate(href);
}

export function startRouter(): () => void {
  window.addEventListener('popstate', onPopState);
  document.addEventListener('click', onClick);
  return () => {
    window.removeEventListener('popstate', onPopState);
    document.removeEventListener('click', onClick);
  };
}
