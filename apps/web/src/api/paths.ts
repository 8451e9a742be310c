/** The API path of one of a host's resources: `/api/v1/hosts/<host>/<rest>`. */
export function hostPath(host: string, rest: string): string {
  return `/api/v1/hosts/${encodeURIComponent(host)}/${rest}`;
}

/**
 * A path segment such as a PCI address, escaped, but with its colons kept: RFC 3986 allows ':'
 * in a path segment, and "0000:3b:00.0" reads better than "0000%3A3b%3A00.0" in logs and problems.
 */
export function pathSegment(value: string): string {
  return encodeURIComponent(value).replace(/%3A/gi, ':');
}
