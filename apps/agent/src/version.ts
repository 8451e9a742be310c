/** Set by the bundler from package.json; "dev" when run from source. */
declare const __VFMAP_VERSION__: string | undefined;
export const VERSION: string = typeof __VFMAP_VERSION__ === 'string' ? __VFMAP_VERSION__ : 'dev';
