import { useState } from 'react';
import type { TokenAsk } from '../../api/withWriteToken';
import { cleanToken } from '../../api/writeToken';
import { Dialog } from './Dialog';

/**
 * Asks for the agent's write token: once per tab, and again when the agent refuses the one the
 * page had. Says where the token comes from, since the person who starts the agent is not
 * always the one at the page.
 */
export function TokenDialog({ reason, onSubmit, onCancel }: { reason: TokenAsk; onSubmit: (token: string) => void; onCancel: () => void }) {
  const [value, setValue] = useState('');
  const token = cleanToken(value);
  return (
    <Dialog
      title="Write token"
      subtitle="Changes need the agent's write token"
      onCancel={onCancel}
      className="token-dialog"
      onSubmit={() => {
        if (token !== '') onSubmit(token);
      }}
      footer={
        <>
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={token === ''}>
            Use this token
          </button>
        </>
      }
    >
      {reason === 'rejected' ? (
        <p className="dialog-error" role="alert">
          The agent did not accept that token (401). Enter it again.
        </p>
      ) : null}
      <p>
        The agent made the token at its first start and printed it once (<code>Write token (made now in …): …</code>). It is kept in the
        agent&apos;s state directory, in the file <code>token</code> (mode 0600), unless the agent was given one with <code>VFMAP_TOKEN</code> or{' '}
        <code>--token-file</code>.
      </p>
      <label className="field">
        <span>Token</span>
        <input type="password" autoComplete="off" spellCheck={false} value={value} onChange={(e) => setValue(e.target.value)} data-autofocus />
      </label>
      <p className="muted">Kept in this tab only (sessionStorage) until the tab closes or the agent refuses it.</p>
    </Dialog>
  );
}
