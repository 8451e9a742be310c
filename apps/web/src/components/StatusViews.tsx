import type { ReactNode } from 'react';
import type { ApiError, ApiFailure } from '../api/apiError';
import { messageOf } from '../api/apiError';
import { POLL_MS } from '../api/api';
import { clockTime } from '../format/clock';

/** Loading, failure and empty states: each says what happened and what the page does about it. */

export function Loading({ what }: { what: string }) {
  return (
    <div className="state loading" role="status" aria-live="polite">
      <div className="spinner" aria-hidden="true" />
      <p>{what}</p>
    </div>
  );
}

function ProblemFields({ failure }: { failure: Extract<ApiFailure, { kind: 'problem' }> }) {
  // title and detail are said above the fields; everything else the agent added is listed.
  const { type, title: _title, status, detail: _detail, instance, ...extra } = failure.problem;
  return (
    <dl>
      <dt>Status</dt>
      <dd>{status}</dd>
      <dt>Type</dt>
      <dd>
        <code>{type}</code>
      </dd>
      {instance ? (
        <>
          <dt>Instance</dt>
          <dd>
            <code>{instance}</code>
          </dd>
        </>
      ) : null}
      {Object.entries(extra).map(([k, v]) => (
        <ExtraField key={k} name={k} value={v} />
      ))}
    </dl>
  );
}

function ExtraField({ name, value }: { name: string; value: unknown }) {
  return (
    <>
      <dt>{name}</dt>
      <dd>{typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? <code>{String(value)}</code> : <pre>{JSON.stringify(value, null, 2)}</pre>}</dd>
    </>
  );
}

/** An error in full: for a problem+json, title and detail in words and every other field below. */
export function ErrorState({ error, context, lastTried }: { error: ApiError; context: string; lastTried?: number }) {
  const f = error.failure;
  let heading: string;
  let body: ReactNode;
  switch (f.kind) {
    case 'unreachable':
      heading = 'The vfmap agent does not answer';
      body = (
        <>
          <p>
            Nothing answered at <code>{f.url}</code> ({f.message}). Is the agent running, and listening on this address?
          </p>
          <p className="muted">The page tries again every {POLL_MS / 1000} s{lastTried ? `; last tried ${clockTime(lastTried)}` : ''}.</p>
        </>
      );
      break;
    case 'problem':
      heading = f.problem.title;
      body = (
        <>
          {f.problem.detail ? <p>{f.problem.detail}</p> : null}
          <ProblemFields failure={f} />
        </>
      );
      break;
    case 'http':
      heading = `The server answered ${f.status} ${f.statusText}`.trim();
      body = (
        <>
          <p>
            <code>{f.url}</code> answered with an error that is not a vfmap problem report.
          </p>
          {f.body ? <pre className="body">{f.body}</pre> : null}
        </>
      );
      break;
    case 'invalid':
      heading = 'The agent answered something this page does not understand';
      body = (
        <>
          <p>
            {messageOf(f)}. The agent and the page may be of different versions.
          </p>
          {f.issues.length > 0 ? (
            <ul className="issues">
              {f.issues.map((i) => (
                <li key={i}>
                  <code>{i}</code>
                </li>
              ))}
            </ul>
          ) : null}
        </>
      );
      break;
  }
  return (
    <div className={`state error kind-${f.kind}`} role="alert">
      <p className="kind">{context}</p>
      <h2>{heading}</h2>
      {body}
    </div>
  );
}

/** Shown over a graph that is still drawn from the last good answer. */
export function StaleBanner({ error, since }: { error: ApiError; since: number }) {
  return (
    <div className="banner error-banner" role="alert">
      <strong>{error.failure.kind === 'unreachable' ? 'Agent unreachable' : 'Refresh failed'}:</strong> {error.message} Showing the topology as read at{' '}
      {clockTime(since)}; retrying every {POLL_MS / 1000} s.
    </div>
  );
}

export function IommuOffBanner() {
  return (
    <div className="banner warn-banner" role="note">
      <strong>The IOMMU is off on this host: no VF can be passed through to a VM.</strong> Without an IOMMU the kernel makes no IOMMU
      groups, and VFIO cannot fence a device&apos;s DMA off from the host&apos;s memory, so it refuses to hand any device to a guest.
      Enable VT-d (Intel) or AMD-Vi (AMD) in the firmware and boot with <code>intel_iommu=on</code> or <code>amd_iommu=on</code> (and{' '}
      <code>iommu=pt</code> for host performance).
    </div>
  );
}

export function NoSriov({ hostname, deviceCount, onGroups }: { hostname: string; deviceCount: number; onGroups: () => void }) {
  return (
    <div className="state empty-host" role="status">
      <h2>No SR-IOV device on {hostname}</h2>
      <p>
        None of its {deviceCount} PCI devices offers SR-IOV (no <code>sriov_totalvfs</code> in sysfs). A card that supports SR-IOV may
        need it enabled in the firmware (HII / BIOS setup), or a driver that exposes it.
      </p>
      <button type="button" className="secondary" onClick={onGroups}>
        See its IOMMU groups
      </button>
    </div>
  );
}
