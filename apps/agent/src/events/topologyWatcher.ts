import type { TopologyAnnouncer } from './topologyAnnouncer';

export interface TopologyWatcherOptions {
  /** The cheap check: the cached topology unless the sysfs/hypervisor fingerprint changed. */
  check: () => Promise<{ etag: string }>;
  announcer: TopologyAnnouncer;
  /** Changes whenever an operation starts or finishes; the watcher leaves changes made meanwhile to the operation. */
  operationsEpoch: () => number;
  operationsRunning: () => boolean;
  intervalMs: number;
  onError?: (err: unknown) => void;
}

/**
 * Sees the host change behind the agent's back (someone ran `echo 4 > sriov_numvfs`, a VM
 * config was edited) and announces it, by checking the TopologyService's fingerprint every
 * `intervalMs` — only while at least one client listens to the events, since nobody else would
 * hear. A change found while an operation runs is the operation's: it announces its own re-read.
 */
export class TopologyWatcher {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private active = false;
  private checking: Promise<void> | null = null;

  constructor(private readonly options: TopologyWatcherOptions) {}

  setActive(active: boolean): void {
    if (active === this.active) return;
    this.active = active;
    if (active) this.schedule();
    else if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  /** Stops checking; resolves once a check in progress is done. */
  async close(): Promise<void> {
    this.setActive(false);
    await this.checking;
  }

  private schedule(): void {
    // A chain of timeouts, not an interval: a slow check (a busy hypervisor) never piles up.
    this.timer = setTimeout(() => {
      this.timer = null;
      this.checking = this.tick().finally(() => {
        this.checking = null;
        if (this.active) this.schedule();
      });
    }, this.options.intervalMs);
    this.timer.unref?.();
  }

  private async tick(): Promise<void> {
    const { check, announcer, operationsEpoch, operationsRunning } = this.options;
    if (operationsRunning()) return;
    const epoch = operationsEpoch();
    try {
      const snapshot = await check();
      if (operationsRunning() || operationsEpoch() !== epoch) return;
      announcer.announce(snapshot, 'external');
    } catch (err) {
      this.options.onError?.(err);
    }
  }
}
