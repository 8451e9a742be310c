import type { VfConfigChange } from '@vfmap/model';

/** A VF settings change as `ip link set` takes it: "mac 02:… vlan 10 qos 3 trust on". */
export function vfChangeWords(change: VfConfigChange): string {
  const onOff = (b: boolean) => (b ? 'on' : 'off');
  const words: string[] = [];
  if (change.mac !== undefined) words.push(`mac ${change.mac}`);
  if (change.vlan !== undefined) {
    words.push(`vlan ${change.vlan}`);
    if (change.qos !== undefined) words.push(`qos ${change.qos}`);
    if (change.vlanProtocol !== undefined) words.push(`proto ${change.vlanProtocol}`);
  }
  if (change.spoofChk !== undefined) words.push(`spoofchk ${onOff(change.spoofChk)}`);
  if (change.trust !== undefined) words.push(`trust ${onOff(change.trust)}`);
  if (change.linkState !== undefined) words.push(`state ${change.linkState}`);
  if (change.maxTxRateMbps !== undefined) words.push(`max_tx_rate ${change.maxTxRateMbps}`);
  if (change.minTxRateMbps !== undefined) words.push(`min_tx_rate ${change.minTxRateMbps}`);
  return words.join(' ');
}

/** "ip link set dev ens2f0 vf 3 mac …": what a vf-config step runs, for the plan and the progress events. */
export function vfConfigStepWords(netdev: string | null, index: number, change: VfConfigChange): string {
  return `ip link set dev ${netdev ?? "(the PF's interface)"} vf ${index} ${vfChangeWords(change)}`;
}
