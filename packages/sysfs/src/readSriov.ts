import type { DirectoryReader } from './readAttribute';
import type { ScanContext } from './scanContext';
import { parseFlag, parseHexId, parseInteger } from './parseAttribute';

/** A VF as its PF names it: `virtfn<index>` → `../<address>`. */
export interface VirtfnLink {
  index: number;
  address: string;
}

export interface SriovInfo {
  totalVfs: number;
  numVfs: number;
  /** null on kernels without the file (RHEL 7's 3.10; upstream added it around 4.12), never 0. */
  offset: number | null;
  stride: number | null;
  vfDeviceId: string | null;
  driversAutoprobe: boolean | null;
  /** Sorted by index. */
  virtfns: VirtfnLink[];
}

const VIRTFN_RE = /^virtfn(\d+)$/;

/**
 * The SR-IOV side of a PF: a device is a PF when it has `sriov_totalvfs` (the kernel creates the
 * sriov_* files only where a PF driver can configure SR-IOV; capable silicon without them is a plain
 * device). Unknown `sriov_*` files (`sriov_vf_total_msix`) are ignored. VFs come only from the
 * `virtfnN` links: their addresses follow offset and stride and interleave between ports, so
 * address order says nothing about which PF or index a VF has.
 */
export function readSriov(scan: ScanContext, device: DirectoryReader, address: string): SriovInfo | null {
  const totalText = device.text('sriov_totalvfs');
  if (totalText === null) return null;

  const virtfns: VirtfnLink[] = [];
  for (const name of device.names()) {
    const m = VIRTFN_RE.exec(name);
    if (!m) continue;
    const target = device.linkName(name);
    if (target !== null) virtfns.push({ index: Number.parseInt(m[1]!, 10), address: target });
  }
  virtfns.sort((a, b) => a.index - b.index);

  const integer = (name: string): number | null => {
    const text = device.text(name);
    if (text === null) return null;
    const n = parseInteger(text);
    if (n === null || n < 0) scan.warn('malformed', `${name} of ${address} reads "${text}"`, device.path(name));
    return n === null || n < 0 ? null : n;
  };

  const totalVfs = parseInteger(totalText);
  if (totalVfs === null || totalVfs < 0) {
    scan.warn('malformed', `sriov_totalvfs of ${address} reads "${totalText}"; taken as 0`, device.path('sriov_totalvfs'));
  }
  let numVfs = integer('sriov_numvfs');
  if (numVfs === null) {
    // Every kernel with sriov_totalvfs has sriov_numvfs beside it; without it, the links are what is there.
    if (!device.has('sriov_numvfs')) {
      scan.warn('missing-attribute', `${address} has sriov_totalvfs but no sriov_numvfs; counted its virtfn links`, device.path('sriov_numvfs'));
    }
    numVfs = virtfns.length;
  }

  const vfDeviceText = device.text('sriov_vf_device');
  const vfDeviceId = vfDeviceText === null ? null : parseHexId(vfDeviceText, 4);
  if (vfDeviceText !== null && vfDeviceId === null) {
    scan.warn('malformed', `sriov_vf_device of ${address} reads "${vfDeviceText}"`, device.path('sriov_vf_device'));
  }
  const autoprobeText = device.text('sriov_drivers_autoprobe');
  const driversAutoprobe = autoprobeText === null ? null : parseFlag(autoprobeText);
  if (autoprobeText !== null && driversAutoprobe === null) {
    scan.warn('malformed', `sriov_drivers_autoprobe of ${address} reads "${autoprobeText}"`, device.path('sriov_drivers_autoprobe'));
  }

  return {
    totalVfs: totalVfs !== null && totalVfs >= 0 ? totalVfs : 0,
    numVfs,
    offset: integer('sriov_offset'),
    stride: integer('sriov_stride'),
    vfDeviceId,
    driversAutoprobe,
    virtfns,
  };
}
