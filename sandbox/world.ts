// Everything the fake services share inside the sandbox server process: configuration, the ECR control-plane
// state (repositories, issued passwords, push times) and a client of the real registry.
import { RegistryClient } from './registry/client.ts';
import type { TokenSigner } from './registry/token.ts';
import type { Credentials } from './aws/sigv4.ts';

export interface ServerConfig {
  dir: string;
  accountId: string;
  region: string;
  credentials: Credentials;
  awsPort: number;
  proxyPort: number;
  registryPort: number;
  caPem: string;
  serverCertPem: string;
  serverKeyPem: string;
  signer: TokenSigner;
}

export type TagMutability = 'MUTABLE' | 'IMMUTABLE' | 'MUTABLE_WITH_EXCLUSION' | 'IMMUTABLE_WITH_EXCLUSION';

export interface ExclusionFilter {
  filterType: 'WILDCARD';
  filter: string;
}

export interface EcrRepository {
  name: string;
  arn: string;
  createdAt: Date;
  imageTagMutability: TagMutability;
  exclusionFilters: ExclusionFilter[];
  scanOnPush: boolean;
  encryptionType: string;
  kmsKey?: string;
}

function wildcardMatches(pattern: string, tag: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  return re.test(tag);
}

/** Whether ECR refuses to overwrite `tag` in this repository (exclusion filters flip the default). */
export function isTagImmutable(repo: EcrRepository, tag: string): boolean {
  const excluded = repo.exclusionFilters.some((f) => wildcardMatches(f.filter, tag));
  switch (repo.imageTagMutability) {
    case 'MUTABLE':
      return false;
    case 'IMMUTABLE':
      return true;
    case 'IMMUTABLE_WITH_EXCLUSION':
      return !excluded;
    case 'MUTABLE_WITH_EXCLUSION':
      return excluded;
  }
}

export class World {
  readonly config: ServerConfig;
  readonly registry: RegistryClient;
  readonly repositories = new Map<string, EcrRepository>();
  /** ECR registry passwords issued by GetAuthorizationToken → expiry. */
  readonly passwords = new Map<string, Date>();
  /** `${repository}@${digest}` → first push time. */
  readonly pushedAt = new Map<string, Date>();
  /**
   * The Docker engine the sandbox uses (`unix://…`), set by startSandbox once the engine is up (it starts
   * after this server). Fakes that run real containers use it; undefined = simulate.
   */
  dockerHost: string | undefined;
  /** Control routes contributed by service modules: `/_sandbox/<prefix>/...` → handler (EKS: prefix `eks`). */
  readonly controlRoutes = new Map<
    string,
    (method: string, path: string, url: URL, body: Buffer) => Promise<{ status: number; body: unknown }>
  >();

  constructor(config: ServerConfig) {
    this.config = config;
    this.registry = new RegistryClient({
      port: config.registryPort,
      ca: config.caPem,
      signer: config.signer,
    });
  }

  get registryHost(): string {
    return `127.0.0.1:${this.config.proxyPort}`;
  }

  recordPush(repository: string, digest: string, at = new Date()): void {
    const key = `${repository}@${digest}`;
    if (!this.pushedAt.has(key)) this.pushedAt.set(key, at);
  }

  passwordValid(password: string, now = new Date()): boolean {
    const expiry = this.passwords.get(password);
    return expiry !== undefined && expiry.getTime() > now.getTime();
  }
}
