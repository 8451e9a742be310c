import { join, relative, sep } from 'node:path';

/**
 * Every file the checks read, under one root (the host's `/`, or a simulated or captured tree):
 * "where does a check read X?" is answered here.
 */
export interface CheckPaths {
  readonly root: string;
  /** `/proc/cmdline`: the kernel's boot parameters (intel_iommu=, amd_iommu=, iommu=pt). */
  readonly cmdline: string;
  /** `/proc/net/route`: the IPv4 routing table as the kernel prints it (hex, host byte order). */
  readonly netRoute: string;
  /** `/proc/net/fib_trie`: the IPv4 FIB; an address of the host shows as `|-- <ip>` then `/32 host LOCAL`. */
  readonly fibTrie: string;
  /** `/proc/net/if_inet6`: one line per IPv6 address: 32 hex digits, ifindex, prefix, scope, flags, interface. */
  readonly ifInet6: string;
  /** Proxmox `/etc/pve/.members` (pmxcfs): this node's name and, on a cluster, each node's IP. */
  readonly pveMembers: string;
  /** `/etc/hosts`: where a standalone Proxmox node's name resolves (Proxmox requires it to name the node's address). */
  readonly etcHosts: string;
  /** `/sys/class/iommu`: one entry per IOMMU unit the kernel brought up (dmar0, ivhd0...). */
  readonly classIommu: string;
  /** `/sys/kernel/iommu_groups`: exists whenever the kernel has IOMMU support; empty when it is off. */
  readonly iommuGroups: string;
  /** `/sys/module`: absent only in partial captures. */
  readonly modules: string;
  /** `/sys/module/<name>`: there when the module is loaded or built in. */
  module(name: string): string;
  /** `/sys/bus/pci/drivers/<name>`: there when a PCI driver of that name is registered. */
  pciDriver(name: string): string;
  /** A PCI function's attribute (`config`, `sriov_totalvfs`). */
  pciDeviceFile(address: string, name: string): string;
  /** `/sys/class/net/<ifname>/<name>` (`brif`, `bonding/slaves`, `lower_*`). */
  netFile(ifname: string, name?: string): string;
  /** A path as the host names it: `/` plus the part under the root. */
  shown(path: string): string;
}

export function checkPaths(root = '/'): CheckPaths {
  const under = (...parts: string[]) => join(root, ...parts);
  return {
    root,
    cmdline: under('proc/cmdline'),
    netRoute: under('proc/net/route'),
    fibTrie: under('proc/net/fib_trie'),
    ifInet6: under('proc/net/if_inet6'),
    pveMembers: under('etc/pve/.members'),
    etcHosts: under('etc/hosts'),
    classIommu: under('sys/class/iommu'),
    iommuGroups: under('sys/kernel/iommu_groups'),
    modules: under('sys/module'),
    module: (name) => under('sys/module', name),
    pciDriver: (name) => under('sys/bus/pci/drivers', name),
    pciDeviceFile: (address, name) => under('sys/bus/pci/devices', address, name),
    netFile: (ifname, name) => (name === undefined ? under('sys/class/net', ifname) : under('sys/class/net', ifname, name)),
    shown: (path) => `/${relative(root, path).split(sep).join('/')}`,
  };
}
