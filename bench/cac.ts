/**
 * aws-actions/configure-aws-credentials as a side-by-side baseline, from a
 * checkout the caller gives in CAC_DIR (never vendored, never fetched here):
 * its committed main entry (action.yml `runs.main`, normally dist/index.js)
 * runs as a step with its own input defaults, against the bench's stand-ins.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { readActionYml, type ActionYml } from './action-yml.js';

export interface Cac {
  readonly dir: string;
  readonly entry: string;
  readonly yml: ActionYml;
  /** package.json version of the checkout, when it has one. */
  readonly version: string;
  /** Commit of the checkout (from .git/HEAD), when it is a git checkout. */
  readonly commit: string;
}

export type CacLookup = { readonly cac: Cac } | { readonly cac?: undefined; readonly why: string };

function gitHead(dir: string): string {
  try {
    const head = readFileSync(join(dir, '.git', 'HEAD'), 'utf8').trim();
    const ref = /^ref: (.+)$/.exec(head)?.[1];
    if (!ref) return head.slice(0, 12);
    const file = join(dir, '.git', ref);
    if (existsSync(file)) return `${readFileSync(file, 'utf8').trim().slice(0, 12)} (${ref.replace('refs/heads/', '')})`;
    const packed = readFileSync(join(dir, '.git', 'packed-refs'), 'utf8');
    return `${new RegExp(`^([0-9a-f]{40}) ${ref}$`, 'm').exec(packed)?.[1]?.slice(0, 12) ?? '?'} (${ref.replace('refs/heads/', '')})`;
  } catch {
    return '';
  }
}

export function findCac(dirSetting: string | undefined): CacLookup {
  if (!dirSetting) return { why: 'not measured: set CAC_DIR to a checkout of aws-actions/configure-aws-credentials (see bench/README.md)' };
  const dir = isAbsolute(dirSetting) ? dirSetting : resolve(dirSetting);
  const ymlPath = ['action.yml', 'action.yaml'].map((f) => join(dir, f)).find((f) => existsSync(f));
  if (!ymlPath) return { why: `not measured: CAC_DIR=${dir} has no action.yml` };
  const yml = readActionYml(ymlPath);
  const entry = join(dir, yml.runs['main'] ?? 'dist/index.js');
  if (!existsSync(entry)) return { why: `not measured: ${entry} is missing (a release tag or a branch with its committed dist/ is needed)` };
  let version = '';
  try {
    version = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version?: string }).version ?? '';
  } catch {
    // no package.json
  }
  return { cac: { dir, entry, yml, version, commit: gitHead(dir) } };
}

/** Its inputs for one OIDC mint: its own defaults, the role and region, and its sts-endpoint input when it has one. */
export function cacInputs(cac: Cac, role: string, region: string, stsEndpoint: string): Record<string, string> {
  const inputs: Record<string, string> = { ...cac.yml.defaults, 'role-to-assume': role, 'aws-region': region };
  if (cac.yml.inputNames.includes('sts-endpoint')) inputs['sts-endpoint'] = stsEndpoint;
  return inputs;
}
