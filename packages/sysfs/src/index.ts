// `export *` rather than a list of names: with it esbuild bundles only the files a command uses,
// so `vfmap scan` does not load the fingerprint's node:crypto or the kernel writer (with named
// re-exports it put the whole package in one chunk). Each of these files exports only its public face.
export * from './readTopology';
export * from './fingerprint';
export * from './sysfsPaths';
export * from './pciIds';
export * from './kernel';
export * from './ipLinkShow';
export * from './ipLinkSetVf';
export * from './vfInfo';
export * from './vfSettings';
