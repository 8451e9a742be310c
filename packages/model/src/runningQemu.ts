import { z } from 'zod';
import { Warning } from './topology';

/**
 * What a running QEMU process holds, as the reader of /proc finds it (facts only: the root
 * helper answers these in the privilege split, and the HTTP side parses them with this schema).
 */
export const RunningQemu = z
  .object({
    pid: z.number().int().positive(),
    vmId: z
      .string()
      .nullable()
      .describe('the VM whose pidfile names this process (Proxmox vmid, libvirt domain); null for a QEMU no pidfile names'),
    name: z.string().nullable().describe('the -name of the QEMU command line'),
    via: z.enum(['proxmox', 'libvirt', 'process']).describe('how the process was found: a trusted pidfile, or only /proc'),
    hosts: z.array(z.string()).describe('PCI addresses of its -device vfio-pci host=/sysfsdev= arguments'),
    vfioGroups: z.array(z.number().int().nonnegative()).describe('IOMMU groups of its open /dev/vfio/<group> fds'),
    vfioDevices: z.array(z.string()).describe('PCI addresses of its open /dev/vfio/devices/vfioX fds (iommufd cdev)'),
    fdsRead: z.boolean().describe('its /proc/<pid>/fd could be read: false when another user\'s process was read without root'),
  })
  .strict();
export type RunningQemu = z.infer<typeof RunningQemu>;

export const RunningReservation = z
  .object({
    address: z.string(),
    vmId: z.string(),
    pid: z.number().int().nullable().describe('null for a `time:` entry: the VM is still starting'),
    stale: z.boolean().describe('a `pid:` entry whose process is gone'),
  })
  .strict();
export type RunningReservation = z.infer<typeof RunningReservation>;

export const RunningFacts = z
  .object({
    processes: z.array(RunningQemu),
    reservations: z.array(RunningReservation).describe("Proxmox's /run/qemu-server/pci-id-reservations"),
    warnings: z.array(Warning),
  })
  .strict();
export type RunningFacts = z.infer<typeof RunningFacts>;
