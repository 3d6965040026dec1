import type { RegistryClient, RegistryClientOptions } from '../registry/transport/client.js';
import type { NpmConfig } from '../config/npm-config.js';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_INCOMPLETE = 2;

/** Everything the CLI touches of the outside world, so tests run it in-process. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  stdoutIsTty: boolean;
  /** Enables the progress line on stderr. */
  stderrIsTty?: boolean;
  /** Injected registry client factory (tests); defaults to npm's configuration. */
  registryClient?: (npmConfig: NpmConfig, options: RegistryClientOptions) => RegistryClient;
}
