import type { BundleSigner } from './bundle-verify.js';

export const SLSA_PROVENANCE_V02 = 'https://slsa.dev/provenance/v0.2';
export const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';

/** Where and how a version was built, as its provenance attests. */
export interface AttestedSource {
  /** e.g. https://github.com/org/repo */
  repository: string | null;
  ref: string | null;
  commit: string | null;
  /** Workflow path in the repository, e.g. .github/workflows/release.yml */
  workflow: string | null;
  builder: string | null;
  predicateType: string;
  /** The signing certificate's identity (workflow URI) and OIDC issuer. */
  identity: string | null;
  issuer: string | null;
}

type Json = Record<string, unknown>;

const obj = (value: unknown): Json => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {});
const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** Reads SLSA provenance v0.2 (npm CLI, slsa-github-generator) and v1 (npm CLI ≥ 9.7) predicates. */
export function sourceFromPredicate(predicateType: string, predicate: unknown): Omit<AttestedSource, 'identity' | 'issuer'> {
  const p = obj(predicate);
  if (predicateType === SLSA_PROVENANCE_V1) {
    const definition = obj(p.buildDefinition);
    const workflow = obj(obj(definition.externalParameters).workflow);
    const dependencies = Array.isArray(definition.resolvedDependencies) ? definition.resolvedDependencies : [];
    const commit = dependencies.map((dep) => str(obj(obj(dep).digest).gitCommit)).find(Boolean) ?? null;
    return {
      repository: str(workflow.repository),
      ref: str(workflow.ref),
      commit,
      workflow: str(workflow.path),
      builder: str(obj(obj(p.runDetails).builder).id),
      predicateType,
    };
  }
  const configSource = obj(obj(p.invocation).configSource);
  const uri = str(configSource.uri);
  const at = uri ? uri.lastIndexOf('@') : -1;
  return {
    repository: uri ? (at > 0 ? uri.slice(0, at) : uri).replace(/^git\+/, '') : null,
    ref: uri && at > 0 ? uri.slice(at + 1) : null,
    commit: str(obj(configSource.digest).sha1),
    workflow: workflowPath(str(configSource.entryPoint)),
    builder: str(obj(p.builder).id),
    predicateType,
  };
}

/** npm's v0.2 entryPoint is `owner/repo/.github/workflows/x.yml@ref`; keep the path in the repository. */
function workflowPath(entryPoint: string | null): string | null {
  if (!entryPoint) return null;
  return /^(?:[^/]+\/[^/]+\/)?(\.github\/workflows\/[^@]+)(?:@.*)?$/.exec(entryPoint)?.[1] ?? entryPoint;
}

const FULCIO = {
  issuerV1: '1.3.6.1.4.1.57264.1.1',
  githubSha: '1.3.6.1.4.1.57264.1.3',
  githubRepository: '1.3.6.1.4.1.57264.1.5',
  githubRef: '1.3.6.1.4.1.57264.1.6',
  sourceRepositoryUri: '1.3.6.1.4.1.57264.1.12',
  sourceRepositoryDigest: '1.3.6.1.4.1.57264.1.13',
  sourceRepositoryRef: '1.3.6.1.4.1.57264.1.14',
};

const GITHUB_ACTIONS_ISSUER = 'https://token.actions.githubusercontent.com';

/**
 * What Fulcio itself vouches for: the repository, ref and commit of the workflow run that
 * obtained the certificate (from the OIDC token, not from anything the build wrote).
 */
export function sourceFromCertificate(signer: BundleSigner): { repository: string | null; ref: string | null; commit: string | null } {
  if (signer.kind !== 'certificate') return { repository: null, ref: null, commit: null };
  const ext = signer.extensions;
  const issuer = signer.issuer ?? ext[FULCIO.issuerV1] ?? null;
  const legacyRepository = ext[FULCIO.githubRepository];
  const repository = ext[FULCIO.sourceRepositoryUri] ?? (legacyRepository && issuer === GITHUB_ACTIONS_ISSUER ? `https://github.com/${legacyRepository}` : null);
  return {
    repository,
    ref: ext[FULCIO.sourceRepositoryRef] ?? ext[FULCIO.githubRef] ?? null,
    commit: ext[FULCIO.sourceRepositoryDigest] ?? ext[FULCIO.githubSha] ?? null,
  };
}

/** `git+https://github.com/Org/Repo.git`, `github:org/repo`, `git@github.com:org/repo` → `github.com/org/repo`. */
export function normalizeRepository(url: string | null | undefined): string | null {
  if (!url) return null;
  let text = url.trim();
  const shorthand = /^(github|gitlab|bitbucket):([^/\s]+\/[^/\s#]+)/.exec(text);
  if (shorthand?.[1] && shorthand[2]) text = `https://${shorthand[1]}.${shorthand[1] === 'bitbucket' ? 'org' : 'com'}/${shorthand[2]}`;
  else if (/^[\w.-]+\/[\w.-]+$/.test(text)) text = `https://github.com/${text}`;
  // the policy file's form: host/owner/repo
  else if (/^[\w-]+(\.[\w-]+)+\/[^\s:]+$/.test(text)) text = `https://${text}`;
  text = text.replace(/^git\+/, '').replace(/^git@([^:]+):/, 'https://$1/').replace(/^(ssh|git):\/\/(git@)?/, 'https://');
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return null;
  }
  const path = parsed.pathname.replace(/#.*$/, '').replace(/\.git$/, '').replace(/\/+$/, '');
  if (!path || path === '/') return null;
  return `${parsed.hostname}${path}`.toLowerCase();
}
