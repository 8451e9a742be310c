/**
 * The Content-Security-Policy nonce the agent gave this page load (index.html's
 * <meta name="vfmap-csp-nonce">): the graph's one <style> element needs it, since the policy
 * allows no inline style without it. Undefined when served without one (tests, the dev server).
 */
let nonce: string | undefined | null = null;

export function cspNonce(): string | undefined {
  if (nonce === null) nonce = document.querySelector<HTMLMetaElement>('meta[name="vfmap-csp-nonce"]')?.content || undefined;
  return nonce;
}
