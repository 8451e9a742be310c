import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { WriteAccessContext, type WriteAccess } from '../../api/writeAccess';
import type { TokenAsk } from '../../api/withWriteToken';
import { forgetStoredToken, readStoredToken, storeToken } from '../../api/writeToken';
import { lazyPart } from '../../lazy/lazyPart';

// Asked for only when a write needs a token: its dialog comes with the other dialogs, later.
const TokenDialog = lazyPart('token dialog', () => import('./TokenDialog').then((m) => m.TokenDialog));

function tabStorage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

/**
 * Holds the write token for the tab and asks for it in a dialog when a write needs it. Two
 * writes that need it at once share one dialog. Remembers an agent that said it is read-only.
 */
export function WriteAccessProvider({ storage, children }: { storage?: Storage | null; children: ReactNode }) {
  const store = useMemo(() => (storage === undefined ? tabStorage() : storage), [storage]);
  // A ref, so that a write asking for the token right after another set it sees it at once.
  const tokenRef = useRef<string | null>(null);
  const [hasToken, setHasToken] = useState(false);
  // Read after the first paint: the first touch of sessionStorage costs the page tens of
  // milliseconds, and nothing can write before the page is on screen.
  useEffect(() => {
    const stored = readStoredToken(store);
    if (stored !== null && tokenRef.current === null) {
      tokenRef.current = stored;
      setHasToken(true);
    }
  }, [store]);
  const [readOnly, setReadOnly] = useState<string | null>(null);
  const [asking, setAsking] = useState<TokenAsk | null>(null);
  const waiting = useRef<{ promise: Promise<string | null>; resolve: (token: string | null) => void } | null>(null);

  const askToken = useCallback((reason: TokenAsk) => {
    if (waiting.current) return waiting.current.promise;
    let resolve!: (token: string | null) => void;
    const promise = new Promise<string | null>((r) => {
      resolve = r;
    });
    waiting.current = { promise, resolve };
    setAsking(reason);
    return promise;
  }, []);

  const answer = useCallback(
    (token: string | null) => {
      if (token !== null) {
        tokenRef.current = token;
        storeToken(store, token);
        setHasToken(true);
      }
      const w = waiting.current;
      waiting.current = null;
      setAsking(null);
      w?.resolve(token);
    },
    [store],
  );

  const access = useMemo<WriteAccess>(
    () => ({
      readOnly,
      hasToken,
      currentToken: () => tokenRef.current,
      askToken,
      forgetToken: () => {
        tokenRef.current = null;
        forgetStoredToken(store);
        setHasToken(false);
      },
      markReadOnly: setReadOnly,
    }),
    [readOnly, hasToken, askToken, store],
  );

  return (
    <WriteAccessContext.Provider value={access}>
      {children}
      {asking ? <TokenDialog reason={asking} onSubmit={answer} onCancel={() => answer(null)} /> : null}
    </WriteAccessContext.Provider>
  );
}
