export const REGISTRY_PLACEHOLDER = '@REGISTRY@';
export const REGISTRY_HTTP_PLACEHOLDER = '@REGISTRY_HTTP@';
export const YARN_REGISTRY_PLACEHOLDER = '@YARN_REGISTRY@';

/**
 * Replaces the fixture placeholders with a registry base URL.
 * Every placeholder stands for the base URL with a trailing slash;
 * `@REGISTRY_HTTP@` is always rendered with the `http:` scheme.
 */
export function substituteRegistry(text: string, url: string): string {
  const base = withTrailingSlash(url);
  return text
    .replaceAll(REGISTRY_HTTP_PLACEHOLDER, base.replace(/^https:/, 'http:'))
    .replaceAll(YARN_REGISTRY_PLACEHOLDER, base)
    .replaceAll(REGISTRY_PLACEHOLDER, base);
}

function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
