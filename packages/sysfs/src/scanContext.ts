import type { SysfsWarningCode, Warning } from '@vfmap/model';
import type { SysfsPaths } from './sysfsPaths';

/** What every reader of one scan shares: where things are, and the warnings gathered so far. */
export interface ScanContext {
  readonly paths: SysfsPaths;
  readonly warnings: Warning[];
  /** Records a warning; `path` is absolute and is shown relative to the root. */
  warn(code: SysfsWarningCode, message: string, path?: string): void;
}

export function createScanContext(paths: SysfsPaths): ScanContext {
  const warnings: Warning[] = [];
  return {
    paths,
    warnings,
    warn(code, message, path) {
      warnings.push(path === undefined ? { code, message } : { code, message, path: paths.relative(path) });
    },
  };
}
