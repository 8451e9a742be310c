import { ProblemType, type HolderSource } from '@vfmap/model';
import { messageOf, type ApiError } from '../../api/apiError';
import { problemFacts } from '../../api/problemFacts';
import { settingRefusalOf, stepsStoppedOf } from '../../api/settingsProblemFacts';
import { listWords, settingWords } from '../settings/vfSettingsDraft';

/** How a VM holds the VFs a count change destroys, as the vfs-held problem says. */
const HOLDS: Record<HolderSource, string> = {
  config: 'its configuration names them',
  running: 'a running process, no configuration of it names them',
  both: 'configuration and running process',
};

/**
 * A write that did not go through, said readably: the agent's title and detail, then the facts
 * it sent along (the VMs that hold the VFs, the kernel's errno, where a half-done change
 * stopped), then the status and problem type for whoever reads the logs.
 */
export function WriteProblem({ error }: { error: ApiError }) {
  const f = error.failure;
  if (f.kind !== 'problem') {
    return (
      <div className="write-problem" role="alert">
        <strong>{f.kind === 'unreachable' ? 'The agent did not answer' : 'The write failed'}</strong>
        <p>{messageOf(f)}</p>
      </div>
    );
  }
  const p = f.problem;
  if (p.type === ProblemType.preconditionFailed) {
    // The agent's detail is about ETags; the user needs to know what happened and what to do.
    return (
      <div className="write-problem" role="alert">
        <strong>The host changed since this page drew it</strong>
        <p>Nothing was written: another change reached the host first. The page has read the host again — check what it shows now, then try again.</p>
        <p className="problem-meta muted">
          HTTP {p.status} · <code>{p.type}</code>
        </p>
      </div>
    );
  }
  const facts = problemFacts(p);
  const refusal = settingRefusalOf(p);
  const stopped = stepsStoppedOf(p);
  return (
    <div className="write-problem" role="alert">
      <strong>{p.title}</strong>
      {refusal ? (
        <p className="setting-refusal" data-refused-setting={refusal.setting}>
          This NIC&apos;s driver cannot set <strong>{settingWords(refusal.setting)}</strong>
          {refusal.applied.length > 0
            ? `; ${listWords(refusal.applied.map(settingWords))} ${refusal.applied.length === 1 ? 'was applied before it and is' : 'were applied before it and are'} kept.`
            : '; nothing was changed.'}
        </p>
      ) : null}
      {p.detail ? <p>{p.detail}</p> : null}
      {stopped ? (
        <div className="steps-stopped">
          <ol className="steps">
            {stopped.done.map((d) => (
              <li key={d} className="step-done">
                {d}
              </li>
            ))}
            <li className="step-failed">
              <strong>Stopped:</strong> {stopped.failed} <span className="muted">— {stopped.cause}</span>
            </li>
          </ol>
          <p className="muted">The steps before it are done and stay done; the PF shows where it differs from what was asked.</p>
        </div>
      ) : null}
      {facts.vms.length > 0 ? (
        <div>
          VMs holding the VFs:
          <ul className="plain vm-losses">
            {facts.vms.map((vm) => (
              <li key={vm.vmId}>
                <strong>{vm.vmName}</strong> <span className="muted">VM {vm.vmId} · {HOLDS[vm.holds]}</span>: {vm.vfs.map((a) => <code key={a}>{a} </code>)}
                {vm.configNamesMissing.length > 0 ? (
                  <div data-config-names-missing>
                    Its configuration would name {vm.configNamesMissing.length === 1 ? 'a VF that no longer exists' : 'VFs that no longer exist'}:{' '}
                    {vm.configNamesMissing.map((a) => (
                      <code key={a}>{a} </code>
                    ))}
                    — the VM fails at its next start.
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {facts.stoppedAt ? (
        <p>
          Stopped at:{' '}
          {facts.stoppedAt.numVfs === null ? (
            <>
              <code>sriov_numvfs</code> could not be read back
            </>
          ) : (
            <>
              <code>sriov_numvfs</code> reads <strong>{facts.stoppedAt.numVfs}</strong>
            </>
          )}
          . The agent wrote {facts.stoppedAt.wrote}, then the kernel refused {facts.stoppedAt.refused}.
        </p>
      ) : null}
      {facts.iommu ? (
        <p>
          IOMMU group {facts.iommu.group} also holds {facts.iommu.members.map((m) => <code key={m}>{m} </code>)}
        </p>
      ) : null}
      {facts.holder ? (
        <p>
          Held by {facts.holder.vmName} <span className="muted">(VM {facts.holder.vmId}, {facts.holder.via})</span>
        </p>
      ) : null}
      {facts.command ? (
        <p>
          Command <code>{facts.command.command}</code>
          {facts.command.stderr ? <pre className="stderr">{facts.command.stderr}</pre> : null}
        </p>
      ) : null}
      <p className="problem-meta muted">
        {facts.errno ? (
          <>
            errno <code className="errno">{facts.errno}</code> ·{' '}
          </>
        ) : null}
        HTTP {p.status} · <code>{p.type}</code>
      </p>
    </div>
  );
}
