import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The agent's Prometheus series, on a registry of its own (tests run several agents in one
 * process; prom-client's global registry would mix them). Callers use the named instruments:
 * `metrics.httpRequests.inc({ method, route, status })`. Per-device series carry the labels
 * sriov-network-metrics-exporter uses (`pf`, `vf`, `pciAddr`, `numa_node`), so the two join on
 * `pciAddr` in PromQL.
 */
export const PF_LABELS = ['pf', 'pciAddr', 'numa_node'] as const;
export const VF_LABELS = ['pf', 'vf', 'pciAddr', 'numa_node'] as const;

let processRegistry: Registry | null = null;

/**
 * Node's process series (CPU, memory, descriptors, event-loop lag, GC), made once per process:
 * collectDefaultMetrics starts an event-loop-delay monitor and a GC observer that nothing ever
 * stops, so one call per agent would pile them up in a test process that starts hundreds of
 * agents. They describe the process, which its agents share; every agent's registry holds the
 * same metric objects.
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
    // Gauges named like counters, which promtool rejects ("non-counter metrics should not have
    // _total suffix"); each is the sum of the same family without the suffix, by type.
    for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) processRegistry.removeSingleMetric(name);
  }
  return processRegistry;
}

export class Metrics {
  /** This agent's series and the process's. */
  readonly registry: Registry;
  private readonly own = new Registry();
  private readonly registers = [this.own];

  // Scans (topologyMetrics.ts sets these from each full scan).
  readonly scans = new Counter({ name: 'vfmap_scans_total', help: 'Full topology scans', registers: this.registers });
  readonly scanDuration = new Gauge({ name: 'vfmap_scan_duration_seconds', help: 'Duration of the last full scan', registers: this.registers });
  readonly scanWarnings = new Gauge({
    name: 'vfmap_scan_warnings',
    help: 'Warnings of the last full scan: files vfmap could not read or did not trust (the rest of the scan stands)',
    registers: this.registers,
  });
  readonly hostInfo = new Gauge({
    name: 'vfmap_host_info',
    help: 'The host this agent reads (always 1): its id in the API, its hypervisor and its kernel',
    labelNames: ['host', 'hypervisor', 'kernel'] as const,
    registers: this.registers,
  });
  readonly pfVfs = new Gauge({ name: 'vfmap_pf_vfs', help: 'VFs enabled on the PF (sriov_numvfs)', labelNames: PF_LABELS, registers: this.registers });
  readonly pfTotalVfs = new Gauge({ name: 'vfmap_pf_total_vfs', help: 'VFs the PF can have (sriov_totalvfs)', labelNames: PF_LABELS, registers: this.registers });
  readonly pfVfsFree = new Gauge({
    name: 'vfmap_pf_vfs_free',
    help: 'VFs of the PF that a VM can be given: held by none and alone in their IOMMU group',
    labelNames: PF_LABELS,
    registers: this.registers,
  });
  readonly pfVfsHeld = new Gauge({ name: 'vfmap_pf_vfs_held', help: 'VFs of the PF held by a VM (named in its configuration)', labelNames: PF_LABELS, registers: this.registers });
  readonly pfVfsUnavailable = new Gauge({
    name: 'vfmap_pf_vfs_unavailable',
    help: 'VFs of the PF held by none that cannot be passed through alone (no IOMMU group, or a shared one)',
    labelNames: PF_LABELS,
    registers: this.registers,
  });
  readonly vfHolder = new Gauge({
    name: 'vfmap_vf_holder_info',
    help: 'The VM that holds a VF (always 1); pending is true while the change waits for the VM to restart',
    labelNames: [...VF_LABELS, 'vm', 'vm_name', 'pending'] as const,
    registers: this.registers,
  });
  readonly drift = new Gauge({
    name: 'vfmap_drift',
    help: 'Findings of the last scan where VM configs and running QEMUs disagree, by kind (every kind present, 0 when none)',
    labelNames: ['kind'] as const,
    registers: this.registers,
  });

  // The API and the operations behind it.
  readonly httpRequests = new Counter({
    name: 'vfmap_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: this.registers,
  });
  readonly operations = new Counter({ name: 'vfmap_operations_total', help: 'Operations by kind and result', labelNames: ['kind', 'result'] as const, registers: this.registers });
  readonly auditFailures = new Counter({ name: 'vfmap_audit_failures_total', help: 'Operations whose audit entry could not be written', registers: this.registers });

  // The fleet.
  readonly peerUp = new Gauge({ name: 'vfmap_hub_peer_up', help: 'Whether a fleet peer answers (1) or not (0)', labelNames: ['host'] as const, registers: this.registers });

  constructor() {
    // merge() takes the metric objects themselves: both registries see every later change.
    this.registry = Registry.merge([this.own, processMetrics()]);
  }

  /** The Content-Type of render()'s text. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** The text exposition of every series. */
  render(): Promise<string> {
    return this.registry.metrics();
  }
}
