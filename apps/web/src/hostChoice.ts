import type { HostList } from '@vfmap/model';

/** The host in the address bar (`?host=`), so a link or a reload lands on the same host. */
export function hostFromUrl(): string | null {
  return new URLSearchParams(window.location.search).get('host');
}

export function setHostInUrl(id: string): void {
  const url = new URL(window.location.href);
  url.searchParams.set('host', id);
  window.history.replaceState(null, '', url);
}

/** The host the address bar names when the server knows it, else the first one. */
export function hostToShow(list: HostList, chosen: string | null): string | null {
  return chosen !== null && list.hosts.some((h) => h.id === chosen) ? chosen : (list.hosts[0]?.id ?? null);
}
