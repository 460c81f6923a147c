import packageJson from '../package.json' with { type: 'json' };

/**
 * The User-Agent every client sends unless told otherwise (RFC 9110 §10.1.5:
 * a product token and version, nothing that fingerprints the host). The
 * version is this package's, taken from its package.json at build time.
 */
export const DEFAULT_USER_AGENT = `x-http/${packageJson.version}`;
