/**
 * Credentials out of URLs before a URL is printed, stored or cached: the userinfo
 * (`https://user:token@host/`) and the values of query parameters that carry secrets
 * (`?token=…`, pre-signed `X-Amz-Signature=…`). npm allows a registry URL with credentials in
 * it, and a registry can hand out signed tarball URLs; neither may reach a report, a CI log or a
 * cache file.
 */

const REDACTED = '***';

const SECRET_PARAM = /^(?:token|access_token|auth|authorization|_auth|_authtoken|password|passwd|pass|secret|client_secret|key|apikey|api_key|api-key|sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token|x-goog-signature|x-goog-credential|se|sv|skoid|sktid)$/i;

/** One URL with its credentials replaced by `***`; text that is not a URL is returned as is. */
export function redactUrl(url: string): string {
  return redactUrlsIn(url);
}

// scheme://userinfo@  (userinfo: anything up to the first @ that comes before the path)
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#]*@/gi;
// ?name=value or &name=value inside a URL
const QUERY_PARAM = /([?&;])([^=&#\s;]+)=([^&#\s;]*)/g;
// the user names of git over ssh: conventions, not secrets
const PUBLIC_USERS = new Set(['git', 'ssh', 'anonymous']);
const MAY_CARRY_CREDENTIALS = /[@?&;]/;
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]+/gi;

/** Every URL in a message with its credentials replaced by `***`. */
export function redactUrlsIn(text: string): string {
  // userinfo needs an `@`, a parameter one of `?&;`: most URLs (a registry's document URLs) have neither
  if (!text.includes('://') || !MAY_CARRY_CREDENTIALS.test(text)) return text;
  return text.replace(URL_IN_TEXT, (url) =>
    url
      .replace(USERINFO, (match, scheme: string) => (PUBLIC_USERS.has(match.slice(scheme.length, -1)) ? match : `${scheme}${REDACTED}@`))
      .replace(QUERY_PARAM, (match, separator: string, name: string, value: string) => (value && SECRET_PARAM.test(safeDecode(name)) ? `${separator}${name}=${REDACTED}` : match)),
  );
}

/** Whether a URL carries something `redactUrl` would remove. */
export function hasCredentials(url: string): boolean {
  return redactUrl(url) !== url;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
