import { z } from 'zod';
import { PciAddress } from '@vfmap/model';

/** Path parameters several routes share, with what the OpenAPI document says of them. */
export const HostId = z.string().describe('host id, as GET /api/v1/hosts lists it');
export const HostParams = z.object({ host: HostId });
export const PfParams = z.object({ host: HostId, pf: PciAddress.describe('PCI address of the PF') });
export const VfParams = z.object({ host: HostId, vf: PciAddress.describe('PCI address of the VF') });
