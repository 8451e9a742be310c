/**
 * The command line named a peer source or a --peer URL vfmap cannot use: the agent refuses
 * to start rather than run with a fleet smaller than asked for.
 */
export class PeerSpecError extends Error {
  override readonly name = 'PeerSpecError';
}

/**
 * A source file could not be read or made no sense (missing, too large, not JSON/YAML, wrong
 * types). The message names the file; the source keeps its last good list, as Prometheus does.
 */
export class SourceReadError extends Error {
  override readonly name = 'SourceReadError';

  constructor(
    message: string,
    readonly file: string,
    /** The errno code when the file system refused (ENOENT, EACCES…). */
    readonly code?: string,
  ) {
    super(message);
  }
}
