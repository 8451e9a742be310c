import type { Topology } from '@vfmap/model';
import type { FleetHostState, SilentHost } from './fixtureFleet';
import { iommuOffTopology, labTopology, largeTopology, noSriovTopology } from './fixtures';

/** The same machine under another name: a second host of the fleet. */
export function renamed(topology: Topology, id: string, hostname: string): Topology {
  return { ...topology, host: { ...topology.host, id, hostname } };
}

/**
 * A fleet for the overview: healthy hosts with much or little free, one whose numbers are old,
 * one down since a while, one that never answered and one that refuses the server.
 */
export function fleetHosts(): {
  hosts: Record<string, Topology>;
  options: { silent: Record<string, SilentHost>; status: Record<string, FleetHostState> };
} {
  return {
    hosts: {
      'pve-lab-01': labTopology(),
      'sim-large': largeTopology(),
      'pve-edge': renamed(iommuOffTopology(), 'pve-edge', 'pve-edge.example.net'),
      'pve-07': renamed(labTopology(), 'pve-07', 'pve-07.example.net'),
      'pve-plain': renamed(noSriovTopology(), 'pve-plain', 'pve-plain.example.net'),
    },
    options: {
      status: {
        'pve-edge': { status: 'stale', ageSeconds: 185, problem: 'no answer for 3 min: connect ETIMEDOUT 10.0.0.12:7300' },
        'pve-07': { status: 'unreachable', ageSeconds: 760, problem: 'connect ECONNREFUSED 10.0.0.17:7300' },
      },
      silent: {
        'pve-new': { hostname: 'pve-new.example.net', problem: 'getaddrinfo ENOTFOUND pve-new.example.net' },
        'pve-dmz': { hostname: 'pve-dmz.example.net', hypervisor: 'proxmox', status: 'unauthorized', problem: "the host's agent refused this server's certificate" },
      },
    },
  };
}
