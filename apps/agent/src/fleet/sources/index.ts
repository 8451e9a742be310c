/** Where an agent finds its fleet peers: Proxmox cluster membership, file_sd lists, --peer URLs. */
export { createPeerSources, type PeerSource, type PeerSourcesSpec, type SourceOptions } from './peerSource';
export { normalizeFingerprint, type PeerTarget, type PeerTls } from './peerTarget';
export { parsePeerUrl, peerUrlTarget, type PeerUrl } from './peerUrl';
export { PeerSpecError, SourceReadError } from './sourceErrors';
export { parseMembers, readMembers, type ClusterMembers, type ClusterNode } from './proxmoxMembers';
export { parseVmList, readVmList, type VmListEntry } from './proxmoxVmList';
export { parseFileSd, type FileSdList } from './fileSd';
export { createProxmoxSource } from './proxmoxSource';
export { createFileSdSource } from './fileSdSource';
export { pveClusterPaths, type PveClusterPaths } from './pveClusterPaths';
