import { z } from 'zod';

/**
 * A Proxmox node name is a host name (Proxmox refuses others). It is also a directory under
 * /etc/pve/nodes, so nothing that could climb out of it (`..`, `/`) is taken from a file.
 */
export const ProxmoxNodeName = z.string().regex(/^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$/, 'not a node name');
