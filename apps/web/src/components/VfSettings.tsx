import type { VfConfig } from '@vfmap/model';

const onOff = (value: boolean | null) => (value === null ? <span className="muted">not reported</span> : value ? 'on' : 'off');
const rate = (mbps: number | null, none: string) => (mbps === null ? <span className="muted">not reported</span> : mbps === 0 ? none : `${mbps} Mbit/s`);

/**
 * A VF's settings as its PF's driver reports them (the topology's `config`): what `ip -d link show
 * <pf>` prints on its `vf N` line, in words. Settings belong to the PF's net interface: a PF without
 * one (an NVMe drive) has none to show, and a driver that does not report a setting leaves it
 * "not reported", never a guessed default.
 */
export function VfSettings({ config, pfHasNetdev }: { config: VfConfig | null; pfHasNetdev: boolean }) {
  if (config === null) {
    return (
      <p className="muted">
        {pfHasNetdev ? 'The PF’s driver did not report this VF’s settings (see the host’s warnings).' : 'No settings: the PF has no net interface (an NVMe drive or similar keeps none per VF).'}
      </p>
    );
  }
  const vlan = config.vlan === 0 ? 'none' : `${config.vlan}${config.qos ? `, priority ${config.qos}` : ''}${config.vlanProtocol === '802.1ad' ? ' (802.1ad)' : ''}`;
  return (
    <dl aria-label="VF settings">
      <dt>MAC</dt>
      <dd>{config.mac === null ? <span className="muted">none set by the PF (the VF’s own driver picks one)</span> : <code>{config.mac}</code>}</dd>
      <dt>VLAN</dt>
      <dd>{vlan}</dd>
      <dt>Spoof check</dt>
      <dd>{onOff(config.spoofChk)}</dd>
      <dt>Trust</dt>
      <dd>{onOff(config.trust)}</dd>
      <dt>Link state</dt>
      <dd>{config.linkState === null ? <span className="muted">not reported</span> : config.linkState}</dd>
      <dt>TX rate</dt>
      <dd>
        max {rate(config.maxTxRateMbps, 'no limit')}, min {rate(config.minTxRateMbps, 'none')}
      </dd>
      <dt>Query RSS</dt>
      <dd>{onOff(config.queryRss)}</dd>
    </dl>
  );
}
