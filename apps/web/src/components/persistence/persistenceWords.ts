import type { PfPersistence } from '@vfmap/model';

/** How a PF's kept state comes back at boot, in words, with the file that does it. */
export function keptByWords(kept: PfPersistence['keptBy']): string {
  switch (kept.mechanism) {
    case 'link-drop-in':
      return kept.path ? `kept by ${kept.path} (a .link drop-in: systemd-udevd applies it when the PF appears)` : 'kept by a .link drop-in';
    case 'link-file':
      return kept.path ? `kept by ${kept.path} (a .link file of vfmap's, sorting before 99-default.link)` : "kept by a .link file of vfmap's";
    case 'apply-desired':
      return kept.path ? `kept by vfmap's apply-desired unit (${kept.path})` : "kept by vfmap's apply-desired unit at boot";
    case 'none':
      return 'nothing keeps it at boot';
  }
}

export function competesWords(competes: 'yes' | 'maybe'): string {
  return competes === 'yes' ? 'competes' : 'may compete';
}

export function setsWords(sets: 'count' | 'vf-settings' | 'count-and-vf-settings'): string {
  return sets === 'count' ? 'the VF count' : sets === 'vf-settings' ? 'VF settings' : 'the VF count and VF settings';
}
