/** Hosts that can only be the project's own infrastructure: loopback, private ranges, cluster names. */
export function isSelfHostedHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost') || h === '0.0.0.0' || h === '::1' || h === 'host.docker.internal') return true;
  if (/^127\./.test(h) || /^10\./.test(h) || /^192\.168\./.test(h) || /^172\.(1[6-9]|2\d|3[01])\./.test(h)) return true;
  if (/^(fc|fd)[0-9a-f]{2}:/.test(h)) return true;
  if (!h.includes('.') && !h.includes(':')) return true; // a single-label name: a compose service, a k8s service
  return /\.(local|internal|lan|svc|cluster\.local|home\.arpa)$/.test(h);
}

/** The host of a URL-looking string, lower-cased, without credentials, port or path; null when it is not a URL. */
export function hostOfUrl(text: string): string | null {
  const match = /^\s*(?:https?|wss?):\/\/([^/?#\s]+)/i.exec(text);
  if (!match?.[1]) return null;
  const authority = match[1].slice(match[1].lastIndexOf('@') + 1);
  const host = authority.startsWith('[') ? authority.slice(0, authority.indexOf(']') + 1) : authority.replace(/:\d*$/, '');
  return /^[a-z0-9.\-[\]:_]+$/i.test(host) && host.length > 0 ? host.toLowerCase() : null;
}
