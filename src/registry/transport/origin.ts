/**
 * URLs taken from a registry document (attestations, tarballs) must stay on the registry's
 * origin — scheme, host and port — or a hostile document could send the client, and with it the
 * registry's credentials, anywhere. `<registry>//other-host:port/x` is the classic trick: a path
 * starting with `//` resolves as another host.
 */
export function sameOrigin(url: string, base: string): boolean {
  try {
    return new URL(url).origin === new URL(base).origin;
  } catch {
    return false;
  }
}

/** The path of a listed URL placed on the registry, or null when the result would leave the registry's origin. */
export function onRegistryOrigin(listed: string, registry: string): string | null {
  let resolved: URL;
  try {
    const path = /^[a-z][a-z0-9+.-]*:/i.test(listed) ? new URL(listed).pathname : listed;
    resolved = new URL(path, registry);
  } catch {
    return null;
  }
  return sameOrigin(resolved.href, registry) ? resolved.href : null;
}
