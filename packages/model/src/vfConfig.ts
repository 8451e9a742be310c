import { z } from 'zod';

/**
 * A VF's settings as the PF's driver keeps them and netlink reports them (`ip -j -d link show dev
 * <pf>`, `vfinfo_list[]`: IFLA_VF_*). They belong to the PF's netdev, not to the VF: a VF whose PF
 * has no netdev (an NVMe PF) has none (`config: null`), and they reset when the VFs are destroyed.
 * A key the driver does not report is null here, never a guess.
 */

/** A MAC address as ip prints it: six lower-case hex pairs. */
export const MacAddress = z
  .string()
  .regex(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/, 'a MAC address is six hex pairs joined by ":" (lower case)')
  .describe('MAC address, aa:bb:cc:dd:ee:ff');

/**
 * A MAC a VF may be given: unicast (the first octet's lowest bit clear) and not all zeros — what
 * `ip link set … vf N mac` and the drivers accept (the kernel refuses multicast with EINVAL).
 */
export const UnicastMac = MacAddress.refine((mac) => (parseInt(mac.slice(0, 2), 16) & 1) === 0, 'a VF\'s MAC must be unicast: the lowest bit of its first octet clear').refine(
  (mac) => mac !== '00:00:00:00:00:00',
  'a VF\'s MAC cannot be all zeros (that is "none set")',
);

export const VlanProtocol = z.enum(['802.1Q', '802.1ad']);
export type VlanProtocol = z.infer<typeof VlanProtocol>;

export const VfLinkState = z.enum(['auto', 'enable', 'disable']).describe('the VF\'s link as its VM sees it: follow the PF, always up, always down');
export type VfLinkState = z.infer<typeof VfLinkState>;

export const VfConfig = z
  .object({
    mac: MacAddress.nullable().describe('the MAC the PF gives the VF; null when none is set (the kernel reports 00:00:00:00:00:00)'),
    vlan: z.number().int().min(0).max(4095).describe('port VLAN the PF tags the VF\'s traffic with; 0 is none'),
    qos: z.number().int().min(0).max(7).describe('802.1p priority of that VLAN'),
    vlanProtocol: VlanProtocol,
    spoofChk: z.boolean().nullable().describe('the PF drops frames whose source MAC is not the VF\'s'),
    trust: z.boolean().nullable().describe('the VF may change its MAC, and enter promiscuous or multicast modes'),
    linkState: VfLinkState.nullable(),
    maxTxRateMbps: z.number().int().min(0).nullable().describe('0 is no limit'),
    minTxRateMbps: z.number().int().min(0).nullable().describe('0 is no guarantee'),
    queryRss: z.boolean().nullable().describe('the VF may query the PF\'s RSS configuration'),
  })
  .describe("a VF's settings as the PF's driver reports them; null where the driver does not report one");
export type VfConfig = z.infer<typeof VfConfig>;

/**
 * A change of a VF's settings (`PUT …/vfs/:vf/config`): only what is given is changed. qos and the
 * VLAN protocol go with a VLAN, as `ip link set … vf N vlan V [qos Q] [proto P]` takes them.
 */
export const VfConfigChange = z
  .strictObject({
    mac: UnicastMac.optional(),
    vlan: z.number().int().min(0).max(4095).optional(),
    qos: z.number().int().min(0).max(7).optional(),
    vlanProtocol: VlanProtocol.optional(),
    spoofChk: z.boolean().optional(),
    trust: z.boolean().optional(),
    linkState: VfLinkState.optional(),
    maxTxRateMbps: z.number().int().min(0).max(4_000_000).optional(),
    minTxRateMbps: z.number().int().min(0).max(4_000_000).optional(),
  })
  .refine((c) => Object.keys(c).length > 0, 'give at least one setting to change')
  .refine((c) => c.vlan !== undefined || (c.qos === undefined && c.vlanProtocol === undefined), {
    message: 'qos and vlanProtocol go with a vlan (ip link set … vf N vlan V qos Q proto P)',
    path: ['vlan'],
  })
  .refine((c) => c.minTxRateMbps === undefined || c.maxTxRateMbps === undefined || c.maxTxRateMbps === 0 || c.minTxRateMbps <= c.maxTxRateMbps, {
    message: 'minTxRateMbps cannot exceed maxTxRateMbps',
    path: ['minTxRateMbps'],
  });
export type VfConfigChange = z.infer<typeof VfConfigChange>;
