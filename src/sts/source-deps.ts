/** The minter's first-hop collaborators for a source: a token source, or credentials that sign AssumeRole. */
import { githubTokenSource } from '../oidc/id-token.js';
import { fileTokenSource } from '../oidc/token-file.js';
import type { ProxyConfig } from '../net/proxy.js';
import type { MinterDeps } from './minter.js';
import { defaultChainLoader, staticLoader, type MintingSource } from './source-credentials.js';

export function sourceMinterDeps(
  source: MintingSource,
  opts: { readonly env: Readonly<Record<string, string | undefined>>; readonly proxy?: ProxyConfig | undefined },
): Pick<MinterDeps, 'tokens' | 'credentials' | 'reuseToken' | 'source'> {
  switch (source.kind) {
    case 'github-oidc':
      return { tokens: githubTokenSource({ env: opts.env, proxy: opts.proxy }), source: source.kind };
    case 'token-file':
      // Read again at every mint: the file is rotated (IRSA).
      return { tokens: fileTokenSource(source.path), reuseToken: false, source: source.kind };
    case 'static-keys':
      return { credentials: staticLoader(source.keys), source: source.kind };
    case 'existing':
      return { credentials: source.keys ? staticLoader(source.keys) : defaultChainLoader(source.ownSessionSkipped === true), source: source.kind };
  }
}
