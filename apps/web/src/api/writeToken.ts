/**
 * The write token, kept for the tab: sessionStorage survives a reload but not the tab, and is
 * not shared with other tabs. Storage can be unavailable (a locked-down browser throws on
 * access); the page then asks again whenever it needs the token.
 */
export const TOKEN_KEY = 'vfmap.writeToken';

export function readStoredToken(storage: Storage | null): string | null {
  try {
    const value = storage?.getItem(TOKEN_KEY) ?? null;
    return value && value.trim() !== '' ? value : null;
  } catch {
    return null;
  }
}

export function storeToken(storage: Storage | null, token: string): void {
  try {
    storage?.setItem(TOKEN_KEY, token);
  } catch {
    // Not kept: asked again next time.
  }
}

export function forgetStoredToken(storage: Storage | null): void {
  try {
    storage?.removeItem(TOKEN_KEY);
  } catch {
    // Nothing kept, nothing to forget.
  }
}

/** What a person pastes: the token without the whitespace a terminal copy brings along. */
export function cleanToken(input: string): string {
  return input.trim().replace(/^Bearer\s+/i, '');
}
