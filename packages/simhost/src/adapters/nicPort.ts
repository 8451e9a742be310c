import type { BarSpec, PciFunctionSpec, PciIdsSpec, PcieLinkSpec, SriovSpec } from '../hostProfile';

/** A NIC model: ids, BARs and SR-IOV capability values shared by all its ports. */
export interface NicModel {
  ids: PciIdsSpec;
  driver: string;
  bars: BarSpec[];
  romSize?: number;
  link: PcieLinkSpec;
  speedMbps: number;
  irq: number;
  msiVectors: number;
  /** Absent: no SR-IOV capability. */
  sriov?: {
    totalVfs: number;
    /** First VF Offset per port (function) number. */
    offsets: readonly number[];
    stride: number;
    vfDeviceId: number;
    vfSubsystemVendor: number;
    vfSubsystemDevice: number;
    vfRevision: number;
    vfBars: BarSpec[];
    vfMsixVectors: number;
    vfTotalMsix?: number;
    vfLink?: PcieLinkSpec;
  };
  /** phys_port_name of port n ("p0"), for drivers that report it (mlx5). */
  physPortName?: (port: number) => string;
}

export interface PortOptions {
  device?: number;
  port: number;
  /** Ports of the card: multi-port cards cannot reset one function by bus reset. */
  ports: number;
  ifname: string;
  mac: string;
  operState?: 'up' | 'down';
  slot?: string;
  numVfs?: number;
  autoprobe?: boolean;
  vfNetdevOperState?: 'up' | 'down';
  firmwareNode?: string;
  onboard?: { label: string; acpiIndex: number };
  sharedGroup?: string;
}

/** One port (PCI function) of a NIC. */
export function nicPort(model: NicModel, o: PortOptions): PciFunctionSpec {
  const s = model.sriov;
  const sriov: SriovSpec | undefined = s
    ? {
        totalVfs: s.totalVfs,
        offset: s.offsets[o.port] ?? s.offsets[0]!,
        stride: s.stride,
        vfDeviceId: s.vfDeviceId,
        numVfs: o.numVfs ?? 0,
        autoprobe: o.autoprobe ?? true,
        vfSubsystemVendor: s.vfSubsystemVendor,
        vfSubsystemDevice: s.vfSubsystemDevice,
        vfRevision: s.vfRevision,
        vfBars: s.vfBars,
        vfNetdevName: `${o.ifname.replace(/np\d+$/, '')}v{n}`,
        vfNetdevOperState: o.vfNetdevOperState ?? 'down',
        vfTotalMsix: s.vfTotalMsix ?? 0,
        vfMsixVectors: s.vfMsixVectors,
        vfAer: true,
        ...(s.vfLink ? { vfLink: s.vfLink } : {}),
      }
    : undefined;
  const up = (o.operState ?? 'up') === 'up';
  return {
    device: o.device ?? 0,
    fn: o.port,
    ids: model.ids,
    driver: model.driver,
    bars: model.bars,
    ...(model.romSize ? { romSize: model.romSize } : {}),
    irq: model.irq + o.port,
    msiVectors: model.msiVectors,
    link: model.link,
    aer: true,
    ari: s !== undefined,
    // A lone function can be reset through its bridge ("bus"); beside another function it cannot.
    resetMethod: o.ports > 1 ? 'flr' : 'flr bus',
    ...(sriov ? { sriov } : {}),
    netdev: {
      name: o.ifname,
      mac: o.mac,
      operState: up ? 'up' : 'down',
      speedMbps: up ? model.speedMbps : null,
      queues: 4,
      devPort: 0,
      ...(model.physPortName ? { physPortName: model.physPortName(o.port) } : {}),
    },
    ...(o.slot !== undefined ? { slot: o.slot } : {}),
    ...(o.firmwareNode ? { firmwareNode: o.firmwareNode } : {}),
    ...(o.onboard ? { onboard: o.onboard } : {}),
    ...(o.sharedGroup ? { sharedGroup: o.sharedGroup } : {}),
  };
}

/** The MAC of port n of a card: consecutive addresses from the card's first. */
export function portMac(first: string, port: number): string {
  const n = BigInt(`0x${first.replaceAll(':', '')}`) + BigInt(port);
  return n
    .toString(16)
    .padStart(12, '0')
    .match(/../g)!
    .join(':');
}

const GEN = { 1: '2.5 GT/s PCIe', 2: '5.0 GT/s PCIe', 3: '8.0 GT/s PCIe', 4: '16.0 GT/s PCIe' } as const;
export const pcieLink = (gen: keyof typeof GEN, width: number, current?: { gen: keyof typeof GEN; width: number }): PcieLinkSpec => ({
  maxSpeed: GEN[gen],
  maxWidth: width,
  ...(current ? { speed: GEN[current.gen], width: current.width } : {}),
});

export const KB = 1024;
export const MB = 1024 * 1024;
