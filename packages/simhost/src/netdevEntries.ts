import { attr, dir, file, link, powerEntries, RO, RW, type Entry } from './entries';
import type { NetdevState } from './kernelState';
import { linkTargets } from './sysfsLinks';

export interface NetdevFacts extends NetdevState {
  ifindex: number;
  /** 0: permanent (a PF's burnt-in address), 1: random (VF drivers without an admin MAC). */
  addrAssignType: 0 | 1 | 3;
  /** 1: NET_NAME_ENUM (the kernel's ethN), 4: NET_NAME_RENAMED (udev gave it its name). */
  nameAssignType: 1 | 4;
  /** 'xx:xx:...' cpumask width for rps_cpus/xps_cpus. */
  cpumaskZero: string;
}

const STATISTICS = [
  'collisions', 'multicast', 'rx_bytes', 'rx_compressed', 'rx_crc_errors', 'rx_dropped', 'rx_errors', 'rx_fifo_errors',
  'rx_frame_errors', 'rx_length_errors', 'rx_missed_errors', 'rx_nohandler', 'rx_over_errors', 'rx_packets',
  'tx_aborted_errors', 'tx_bytes', 'tx_carrier_errors', 'tx_compressed', 'tx_dropped', 'tx_errors', 'tx_fifo_errors',
  'tx_heartbeat_errors', 'tx_packets',
];

/**
 * net/<ifname>/ under a PCI function (net/core/net-sysfs.c). Attributes whose show() needs the
 * interface running — carrier, dormant, testing, speed, duplex — fail with EINVAL on a down
 * interface; a file cannot fail a read, so they are empty here, as in the snapshots of the real
 * kernel (fixtures/*, snapshot-info/placeholders.tsv). Unsupported ones (phys_port_id,
 * phys_switch_id, phys_port_name without a driver hook) are empty for the same reason.
 */
export function netdevEntries(devPath: string, n: NetdevFacts): Entry[] {
  const p = (name: string) => `net/${n.name}/${name}`;
  const running = n.operState !== 'down';
  const up = n.operState === 'up';
  const whenRunning = (name: string, value: string | number) => (running ? attr(p(name), RO, value) : file(p(name), RO, ''));
  const e: Entry[] = [
    dir(`net/${n.name}`),
    attr(p('addr_assign_type'), RO, n.addrAssignType),
    attr(p('addr_len'), RO, 6),
    attr(p('address'), RO, n.mac),
    attr(p('broadcast'), RO, 'ff:ff:ff:ff:ff:ff'),
    whenRunning('carrier', up ? 1 : 0),
    attr(p('carrier_changes'), RO, up ? 2 : 0),
    attr(p('carrier_down_count'), RO, up ? 1 : 0),
    attr(p('carrier_up_count'), RO, up ? 1 : 0),
    attr(p('dev_id'), RO, '0x0'),
    attr(p('dev_port'), RO, n.devPort ?? 0),
    link(p('device'), `../../../${devPath.slice(devPath.lastIndexOf('/') + 1)}`),
    whenRunning('dormant', 0),
    whenRunning('duplex', up ? 'full' : 'unknown'),
    attr(p('flags'), RW, running ? '0x1003' : '0x1002'),
    attr(p('gro_flush_timeout'), RW, 0),
    attr(p('ifalias'), RW, ''),
    attr(p('ifindex'), RO, n.ifindex),
    attr(p('iflink'), RO, n.ifindex),
    attr(p('link_mode'), RO, 0),
    attr(p('mtu'), RW, n.mtu ?? 1500),
    attr(p('name_assign_type'), RO, n.nameAssignType),
    attr(p('napi_defer_hard_irqs'), RW, 0),
    attr(p('netdev_group'), RW, 0),
    attr(p('operstate'), RO, n.operState),
    file(p('phys_port_id'), RO, ''),
    n.physPortName ? attr(p('phys_port_name'), RO, n.physPortName) : file(p('phys_port_name'), RO, ''),
    file(p('phys_switch_id'), RO, ''),
    ...powerEntries(`net/${n.name}/`, { wakeup: false, activeTime: 0, usage: 0 }),
    attr(p('proto_down'), RW, 0),
    dir(p('queues')),
  ];
  for (let q = 0; q < (n.queues ?? 1); q++) {
    const rx = p(`queues/rx-${q}`);
    e.push(dir(rx), attr(`${rx}/rps_cpus`, RW, n.cpumaskZero), attr(`${rx}/rps_flow_cnt`, RW, 0));
    const tx = p(`queues/tx-${q}`);
    e.push(
      dir(tx),
      dir(`${tx}/byte_queue_limits`),
      attr(`${tx}/byte_queue_limits/hold_time`, RW, 1000),
      attr(`${tx}/byte_queue_limits/inflight`, RO, 0),
      attr(`${tx}/byte_queue_limits/limit`, RW, 0),
      attr(`${tx}/byte_queue_limits/limit_max`, RW, 1879048192),
      attr(`${tx}/byte_queue_limits/limit_min`, RW, 0),
      attr(`${tx}/traffic_class`, RO, 0),
      attr(`${tx}/tx_maxrate`, RW, 0),
      attr(`${tx}/tx_timeout`, RO, 0),
      attr(`${tx}/xps_cpus`, RW, n.cpumaskZero),
      attr(`${tx}/xps_rxqs`, RW, 0),
    );
  }
  e.push(whenRunning('speed', up ? (n.speedMbps ?? -1) : -1), dir(p('statistics')));
  for (const s of STATISTICS) e.push(attr(p(`statistics/${s}`), RO, 0));
  e.push(
    link(p('subsystem'), linkTargets.netSubsystem(devPath)),
    whenRunning('testing', 0),
    attr(p('threaded'), RW, 0),
    attr(p('tx_queue_len'), RW, 1000),
    attr(p('type'), RO, 1),
    file(p('uevent'), RW, `INTERFACE=${n.name}\nIFINDEX=${n.ifindex}\n`),
  );
  return e;
}
