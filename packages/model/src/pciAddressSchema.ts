import { z } from 'zod';
import { PCI_ADDRESS_RE, PCI_SLOT_RE } from './pciAddress';

export const PciAddress = z
  .string()
  .regex(PCI_ADDRESS_RE, 'a PCI address is dddd:bb:dd.f in lower-case hex (domain of 4 or more digits)')
  .describe('PCI function address, dddd:bb:dd.f');
export type PciAddress = z.infer<typeof PciAddress>;

export const PciSlot = z
  .string()
  .regex(PCI_SLOT_RE, 'a PCI slot is dddd:bb:dd in lower-case hex')
  .describe('PCI slot (domain:bus:device), the id of a card');
export type PciSlot = z.infer<typeof PciSlot>;
