import { createHash } from 'node:crypto';
import type { Pf, Topology } from '@vfmap/model';
import { BadRequestError } from '../errors';
import type { TopologySnapshot } from '../topologyService';
import { PreconditionFailed } from './errors';

/**
 * A write's If-Match (RFC 9110 §13.1.1): `*` (any state of the host will do) or the entity-tags
 * the client acts on. Weak tags are kept to be refused: If-Match compares strongly, and the agent
 * sends only strong ones.
 */
export type IfMatch = { any: true } | { any: false; tags: string[] };

const ENTITY_TAG = /^(W\/)?"[\x21\x23-\x7e\x80-\xff]*"$/;

/** The If-Match header of a write, null when there is none (a CLI or curl write: no precondition). */
export function parseIfMatch(header: string | undefined): IfMatch | null {
  if (header === undefined) return null;
  const value = header.trim();
  if (value === '*') return { any: true };
  const tags = value
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  const bad = tags.find((t) => !ENTITY_TAG.test(t));
  if (tags.length === 0 || bad !== undefined) {
    const message = `If-Match must be * or a list of entity-tags such as "${'abc'}" (the ETag of GET topology, or a PF's ETag); got ${JSON.stringify(header.slice(0, 100))}`;
    throw new BadRequestError(message, [{ path: 'If-Match', message }]);
  }
  return { any: false, tags };
}

/**
 * A PF's own version: a strong ETag over the PF as the topology shows it — its count, driver, its
 * VFs and which VM holds each — so that a script changing one PF is not refused because another
 * PF or a VM elsewhere changed. Write answers send it as their ETag.
 */
export function pfEtagOf(topology: Topology, pf: string): string {
  return pfEtag(topology.pfs.find((p) => p.address === pf) ?? null);
}

/** The ETag of a PF as read (a numvfs answer's `pf`); null: no PF at the address. */
export function pfEtag(pf: Pf | null): string {
  const digest = createHash('sha1').update(JSON.stringify(pf)).digest('base64url');
  return `"pf-${digest}"`;
}

/**
 * Checked inside the PF's queue turn, on the scan the turn starts with: a write queued behind
 * another on the same PF sees the host the earlier one left, so of many writes sent with one
 * ETag only the first to reach its turn can pass.
 */
export function checkPrecondition(ifMatch: IfMatch | null, snapshot: TopologySnapshot, pf: string): void {
  if (ifMatch === null || ifMatch.any) return;
  const pfEtag = pfEtagOf(snapshot.topology, pf);
  // Strong comparison: a weak tag (W/"…") never matches.
  if (ifMatch.tags.some((t) => t === snapshot.etag || t === pfEtag)) return;
  throw new PreconditionFailed(
    `The host changed after the ETag given in If-Match (${ifMatch.tags.join(', ')}) was read: its topology is ${snapshot.etag} now, and ${pf}'s ${pfEtag}. Nothing was written; read the topology again and decide on what it shows.`,
    snapshot.etag,
    pfEtag,
    pf,
  );
}
