import type { HostCapacity, HostSummary } from '@vfmap/model';

/** A host of the fleet as GET /api/v1/hosts lists it, healthy unless the test says otherwise. */
export function hostSummary(id: string, over: Partial<HostSummary> = {}): HostSummary {
  return {
    id,
    hostname: id,
    hypervisor: 'proxmox',
    url: `/api/v1/hosts/${id}/topology`,
    local: false,
    status: 'ok',
    lastSeen: '2025-03-14T09:26:53.000Z',
    ageSeconds: 4,
    version: '0.1.0',
    counts: { pfs: 2, vfs: 16, freeVfs: 8, heldVfs: 8, vms: 3, warnings: 0 },
    capacity: [],
    problem: null,
    source: 'peer',
    ...over,
  };
}

/** A host with this many free VFs (and warnings). */
export function withFree(id: string, freeVfs: number, warnings = 0, over: Partial<HostSummary> = {}): HostSummary {
  return hostSummary(id, { counts: { pfs: 2, vfs: 64, freeVfs, heldVfs: 64 - freeVfs, vms: 3, warnings }, ...over });
}

export function capacityRow(over: Partial<HostCapacity> = {}): HostCapacity {
  return {
    vendorId: '8086',
    deviceId: '1592',
    vendorName: 'Intel Corporation',
    deviceName: 'Ethernet Controller E810-C for QSFP',
    numaNode: 0,
    speedMbps: 100000,
    pfs: 2,
    vfs: 72,
    freeVfs: 52,
    heldVfs: 20,
    ...over,
  };
}
