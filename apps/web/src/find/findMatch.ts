import type { VfState } from '@vfmap/model';
import type { FindTerm } from './findQuery';

/**
 * What the search compares a term with, for one thing drawn on the page (a VF, a PF, a card or a
 * VM). A fact a kind of thing does not have is absent, and a term about it does not hold: a VM
 * has no driver, a PF is neither free nor held the way a VF is.
 */
export interface FindSubject {
  /** its PCI address, or a card's slot ("0000:3b:00"). */
  address?: string;
  numaNode?: number | null;
  /** the link speed of its port, Mb/s. */
  speedMbps?: number | null;
  driver?: string | null;
  /** pci.ids vendor name as it is and shortened, and the vendor id ("8086"). */
  vendorNames?: readonly string[];
  /** pci.ids device name, its short form, and the device id. */
  modelNames?: readonly string[];
  state?: VfState;
  /** the VM holding it (a VM: itself). */
  vm?: { id: string; name: string } | null;
  iommuGroup?: number | null;
  netdevs?: readonly { name: string; mac: string | null }[];
}

const MAC_SEPARATORS = /[:.-]/g;

function includes(haystack: string | null | undefined, needle: string): boolean {
  return !!haystack && haystack.toLowerCase().includes(needle);
}

function anyIncludes(values: readonly string[] | undefined, needle: string): boolean {
  return !!values && values.some((v) => includes(v, needle));
}

function compareSpeed(mbps: number, op: FindTerm & { key: 'speed' }): boolean {
  switch (op.op) {
    case '=':
      return mbps === op.mbps;
    case '>':
      return mbps > op.mbps;
    case '>=':
      return mbps >= op.mbps;
    case '<':
      return mbps < op.mbps;
    case '<=':
      return mbps <= op.mbps;
  }
}

function vmMatches(vm: { id: string; name: string } | null | undefined, value: string): boolean {
  return !!vm && (vm.id.toLowerCase() === value || includes(vm.name, value));
}

/**
 * A word without a key: part of the address, an interface name, a MAC (also written with other
 * separators or none, "5254.0001.0203"), a driver, vendor or model name, or the name of a VM
 * (a VM itself; a VF's holder is vm:).
 */
function textMatches(subject: FindSubject, value: string): boolean {
  if (includes(subject.address, value)) return true;
  // Only a whole MAC in another notation is compared without separators: a shorter word
  // ("3b:02") would otherwise match MAC bytes by accident.
  const compact = value.replace(MAC_SEPARATORS, '');
  const wholeMac = /^[0-9a-f]{12}$/.test(compact);
  for (const n of subject.netdevs ?? []) {
    if (includes(n.name, value) || includes(n.mac, value)) return true;
    if (wholeMac && n.mac && n.mac.toLowerCase().replace(MAC_SEPARATORS, '').includes(compact)) return true;
  }
  if (includes(subject.driver, value) || anyIncludes(subject.vendorNames, value) || anyIncludes(subject.modelNames, value)) return true;
  // A VM is found by its own name; a VF is not found by its holder's name without vm:.
  return subject.address === undefined && vmMatches(subject.vm, value);
}

export function matchTerm(term: FindTerm, subject: FindSubject): boolean {
  switch (term.key) {
    case 'numa':
      return subject.numaNode === term.node;
    case 'speed':
      return typeof subject.speedMbps === 'number' && subject.speedMbps > 0 && compareSpeed(subject.speedMbps, term);
    case 'driver':
      return includes(subject.driver, term.value);
    case 'vendor':
      return anyIncludes(subject.vendorNames, term.value);
    case 'model':
      return anyIncludes(subject.modelNames, term.value);
    case 'vm':
      return vmMatches(subject.vm, term.value);
    case 'group':
      return subject.iommuGroup === term.group;
    case 'free':
      return subject.state === 'free';
    case 'held':
      return subject.state === 'assigned';
    case 'vfio':
      return subject.driver === 'vfio-pci';
    case 'text':
      return textMatches(subject, term.value);
  }
}

/** Every term holds (an empty query holds for everything). */
export function matchAll(terms: readonly FindTerm[], subject: FindSubject): boolean {
  return terms.every((t) => matchTerm(t, subject));
}
