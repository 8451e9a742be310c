import { join } from 'node:path';

/** pmxcfs refuses files larger than 1 MiB, so anything larger under /etc/pve is not what Proxmox wrote. */
export const PMXCFS_MAX_BYTES = 1024 * 1024;

/**
 * Every /etc/pve path the fleet reads, built from the root once (the hypervisors package keeps
 * the VM-config paths in its own pvePaths). `.members` and `.vmlist` are pmxcfs' generated
 * files; `priv/` is root-only, so the fleet credential there is readable by root alone.
 */
export interface PveClusterPaths {
  members: string;
  vmList: string;
  rootCa: string;
  nodeCertificate(node: string): string;
  fleetToken: string;
}

/** Builds the paths under `root` (a snapshot or a test tree stands for `/`). */
export function pveClusterPaths(root = '/'): PveClusterPaths {
  const pve = join(root, 'etc/pve');
  return {
    members: join(pve, '.members'),
    vmList: join(pve, '.vmlist'),
    rootCa: join(pve, 'pve-root-ca.pem'),
    nodeCertificate: (node) => join(pve, 'nodes', node, 'pve-ssl.pem'),
    fleetToken: join(pve, 'priv/vfmap/fleet.token'),
  };
}
