export interface SysfsPaths {
  root: string;
}
export function sysfsPaths(root = '/'): SysfsPaths {
  return { root };
}
