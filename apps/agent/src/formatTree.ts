import { comparePciAddresses, groupPeers, vfState, type Holder, type Netdev, type Pf, type Topology, type Vf } from '@vfmap/model';

/**
 * The topology as a tree a person reads in a terminal, like `lspci -tv` for SR-IOV:
 * cards, their PFs with n/total VFs, each VF with driver, IOMMU group and holder.
 */
export function formatTree(topology: Topology): string {
  const out: string[] = [];
  const { host } = topology;
  out.push(`${host.hostname}${host.kernel ? ` (Linux ${host.kernel})` : ''}  hypervisor: ${host.hypervisor}  IOMMU: ${host.iommu.enabled ? 'on' : 'off — no VF can be passed through'}`);
  const free = topology.pfs.reduce((n, pf) => n + pf.vfs.filter((vf) => !vf.holder).length, 0);
  const total = topology.pfs.reduce((n, pf) => n + pf.vfs.length, 0);
  out.push(`${topology.pfs.length} SR-IOV PF(s), ${total} VF(s) enabled, ${free} not held by a VM`);
  if (topology.pfs.length === 0) out.push('No SR-IOV physical function on this host.');

  const pfByAddress = new Map(topology.pfs.map((pf) => [pf.address, pf]));
  for (const card of topology.cards) {
    out.push('');
    out.push(`${card.id}  ${name(card.vendorName, card.vendorId)} ${name(card.deviceName, card.deviceId)}`);
    card.pfs.forEach((address, i) => {
      const pf = pfByAddress.get(address);
      if (!pf) return;
      const lastPf = i === card.pfs.length - 1;
      out.push(`${lastPf ? '└─' : '├─'} ${pfLine(pf)}`);
      const indent = lastPf ? '   ' : '│  ';
      const vfs = [...pf.vfs].sort((a, b) => a.index - b.index);
      vfs.forEach((vf, j) => {
        out.push(`${indent}${j === vfs.length - 1 ? '└─' : '├─'} ${vfLine(vf, topology)}`);
      });
    });
  }

  const held = topology.devices.filter((d) => d.holder);
  if (held.length) {
    out.push('', 'Other devices held by VMs:');
    for (const d of held) out.push(`  ${d.address} ${name(d.deviceName, d.deviceId)} → ${holderText(d.holder!)}`);
  }
  if (topology.vms.length) {
    out.push('', 'VMs:');
    for (const vm of topology.vms) out.push(`  ${vm.id.padEnd(6)} ${vm.name} (${vm.state})`);
  }
  const shared = topology.iommuGroups.filter((g) => g.devices.length > 1);
  if (shared.length) {
    out.push('', 'Shared IOMMU groups:');
    for (const g of shared) out.push(`  group ${g.id}: ${[...g.devices].sort(comparePciAddresses).join(' ')}`);
  }
  if (topology.drift.length) {
    out.push('', `Drift between VM configs and running QEMUs (${topology.drift.length}):`);
    for (const d of topology.drift) out.push(`  [${d.kind}] ${d.title}`);
  }
  if (topology.warnings.length) {
    out.push('', `Warnings (${topology.warnings.length}):`);
    for (const w of topology.warnings) out.push(`  [${w.code}] ${w.message}${w.path ? ` (${w.path})` : ''}`);
  }
  return `${out.join('\n')}\n`;
}

function name(text: string | null, id: string): string {
  return text ?? `[${id}]`;
}

function netdevs(list: Netdev[]): string {
  return list
    .map((n) => `${n.name}${n.operState ? ` ${n.operState}` : ''}${n.speedMbps !== null ? ` ${n.speedMbps}Mb/s` : ''}`)
    .join(', ');
}

function pfLine(pf: Pf): string {
  const parts = [
    `PF ${pf.address}`,
    `${pf.numVfs}/${pf.totalVfs} VFs`,
    `driver ${pf.driver ?? '-'}`,
    pf.netdevs.length ? `net ${netdevs(pf.netdevs)}` : null,
    pf.numaNode !== null ? `NUMA ${pf.numaNode}` : null,
    pf.iommuGroup !== null ? `group ${pf.iommuGroup}` : null,
    pf.offset !== null ? `offset ${pf.offset} stride ${pf.stride}` : null,
    pf.driversAutoprobe === false ? 'autoprobe off' : null,
  ];
  return parts.filter(Boolean).join('  ');
}

function vfLine(vf: Vf, topology: Topology): string {
  const peers = vf.iommuGroup === null ? [] : groupPeers(vf.address, vf.iommuGroup, topology);
  const parts = [
    `VF ${String(vf.index).padStart(3)} ${vf.address}`,
    `driver ${vf.driver ?? '-'}${vf.driverOverride ? ` (override ${vf.driverOverride})` : ''}`,
    vf.netdevs.length ? `net ${netdevs(vf.netdevs)}` : null,
    `group ${vf.iommuGroup ?? '-'}${peers.length ? ` shared with ${peers.join(' ')}` : ''}`,
    vf.holder
      ? `→ ${holderText(vf.holder)}`
      : // The model's rule, as the page shows it: a VF without a group of its own cannot be given away.
        vfState(vf, topology),
  ];
  return parts.filter(Boolean).join('  ');
}

/** A holder: its VM, where the config names it, and what only a running process says (no config, another VM's config, a shared group). */
function holderText(h: Holder): string {
  const notes = [
    h.via,
    h.pending ? 'pending' : null,
    h.source === 'running' ? (h.configuredVmId ? `running; the config gives it to ${h.configuredVmId}` : 'running, in no config') : null,
    h.ambiguous ? 'its IOMMU group is shared: it may hold another member' : null,
  ];
  return `${h.vmName} (${h.vmId}, ${notes.filter(Boolean).join(', ')})`;
}
