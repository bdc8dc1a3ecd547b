/**
 * What one action step did, reduced to facts that can be compared with what
 * configure-aws-credentials (CAC) did with the same inputs, and the
 * differences between two such observations as stable one-line keys. Shared
 * by cac-side-by-side.test.ts (one step per case) and cac-corpus.test.ts
 * (real workflows' steps, followed by the steps those workflows run).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JobRunner, StepResult, StsCall } from '../../standins/index.js';

export interface Observed {
  readonly failed: boolean;
  /** name -> class: '(empty)', '(secret)', or the literal (run id and times normalised) */
  readonly env: Record<string, string>;
  readonly outputs: Record<string, string>;
  /** "<file> [section] key" -> class */
  readonly files: Record<string, string>;
  readonly calls: string[];
  readonly params: Array<Record<string, string>>;
}

export function normalise(value: string, job: JobRunner): string {
  return value
    .split(job.runId)
    .join('<run id>')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>')
    .replace(/\b[0-9a-f]{16}\b/g, '<hex>');
}

function classify(value: string, masks: ReadonlySet<string>, job: JobRunner): string {
  if (value === '') return '(empty)';
  if (masks.has(value)) return '(secret)';
  return JSON.stringify(normalise(value, job));
}

function parseIni(text: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  let section: string | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const s = /^\[(.*)\]$/.exec(line);
    if (s?.[1] !== undefined) {
      section = s[1];
      out[section] ??= {};
      continue;
    }
    const eq = line.indexOf('=');
    if (section !== undefined && eq > 0) (out[section] ??= {})[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return out;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** What `step` exported, output, wrote to ~/.aws, and which STS calls (`calls`, made during the step) it made. */
export function observe(step: StepResult, job: JobRunner, calls: readonly StsCall[], inputKey: string | undefined): Observed {
  const masks = new Set(job.masks);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(step.exportedEnv)) env[k] = classify(v, masks, job);
  const outputs: Record<string, string> = {};
  // remaining-seconds depends on when the step ran
  for (const [k, v] of Object.entries(step.outputs)) outputs[k] = k === 'remaining-seconds' ? '<seconds>' : classify(v, masks, job);
  const files: Record<string, string> = {};
  for (const name of ['credentials', 'config']) {
    const text = readText(join(job.home, '.aws', name));
    if (text === undefined) continue;
    for (const [section, keys] of Object.entries(parseIni(text))) {
      for (const [k, v] of Object.entries(keys)) files[`${name} [${section}] ${k}`] = classify(v, masks, job);
    }
  }
  const issued = new Set(calls.map((c) => c.issuedAccessKeyId).filter((k): k is string => !!k));
  const params = calls.map((c) => {
    const p: Record<string, string> = {};
    if (c.roleArn !== undefined) p['RoleArn'] = c.roleArn;
    if (c.roleSessionName !== undefined) p['RoleSessionName'] = normalise(c.roleSessionName, job);
    if (c.durationSeconds !== undefined) p['DurationSeconds'] = String(c.durationSeconds);
    if (c.externalId !== undefined) p['ExternalId'] = c.externalId;
    if (c.tags !== undefined) p['Tags'] = c.tags.map((t) => `${t.key}=${normalise(t.value, job)}`).join(', ');
    if (c.transitiveTagKeys !== undefined) p['TransitiveTagKeys'] = c.transitiveTagKeys.join(', ');
    if (c.audience !== undefined) p['audience'] = c.audience;
    if (c.signed) p['signed with'] = c.accessKeyId === inputKey ? 'the input keys' : issued.has(c.accessKeyId ?? '') ? 'a session this step minted' : 'other keys';
    p['status'] = String(c.status);
    return p;
  });
  return { failed: step.exitCode !== 0, env, outputs, files, calls: calls.map((c) => c.action), params };
}

interface Run {
  readonly action: string;
  readonly count: number;
  readonly first: Record<string, string>;
  readonly last: Record<string, string>;
}

/** Consecutive calls of the same action, as runs. */
function runs(o: Observed): Run[] {
  const out: Run[] = [];
  o.calls.forEach((action, i) => {
    const params = o.params[i] ?? {};
    const prev = out[out.length - 1];
    if (prev?.action === action) out[out.length - 1] = { ...prev, count: prev.count + 1, last: params };
    else out.push({ action, count: 1, first: params, last: params });
  });
  return out;
}

const lastFacts = (p: Record<string, string>): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const k of ['DurationSeconds', 'status']) if (p[k] !== undefined) out[k] = p[k];
  return out;
};

/** Every difference between two observations, as stable one-line keys. */
export function differences(ours: Observed, cac: Observed): string[] {
  const out: string[] = [];
  if (ours.failed !== cac.failed) out.push(`failed: ours ${ours.failed}, cac ${cac.failed}`);
  const compareMap = (what: string, a: Record<string, string>, b: Record<string, string>): void => {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      const x = a[k];
      const y = b[k];
      if (x === y) continue;
      if (x === undefined) out.push(`${what} ${k}: cac only (${y})`);
      else if (y === undefined) out.push(`${what} ${k}: ours only (${x})`);
      else out.push(`${what} ${k}: ours ${x}, cac ${y}`);
    }
  };
  compareMap('env', ours.env, cac.env);
  compareMap('output', ours.outputs, cac.outputs);
  compareMap('file', ours.files, cac.files);
  // A run of the same call (a retry, an asked-again duration, the special-characters loop) counts once: its first
  // call's parameters are compared, and its last call's DurationSeconds and status (how many times varies by chance).
  const oursRuns = runs(ours);
  const cacRuns = runs(cac);
  const names = (r: readonly Run[]): string => r.map((x) => x.action).join(', ');
  if (names(oursRuns) !== names(cacRuns)) out.push(`sts calls: ours [${names(oursRuns)}], cac [${names(cacRuns)}]`);
  // Parameters of the runs both made, matched by action and order.
  const nth = (r: readonly Run[], i: number): number => r.slice(0, i).filter((x) => x.action === r[i]?.action).length;
  oursRuns.forEach((run, i) => {
    const j = cacRuns.findIndex((c, jj) => c.action === run.action && nth(cacRuns, jj) === nth(oursRuns, i));
    const theirs = cacRuns[j];
    if (!theirs) return;
    const label = nth(oursRuns, i) === 0 ? run.action : `${run.action} #${nth(oursRuns, i) + 1}`;
    compareMap(`sts ${label}`, run.first, theirs.first);
    if (run.count > 1 || theirs.count > 1) compareMap(`sts ${label} (last)`, lastFacts(run.last), lastFacts(theirs.last));
  });
  return out;
}

/** The found differences no listed one names, and the listed ones that no longer occur. */
export function unlistedAndGone(found: readonly string[], listed: Readonly<Record<string, string>>): { unlisted: string[]; gone: string[] } {
  return { unlisted: found.filter((d) => !(d in listed)), gone: Object.keys(listed).filter((d) => !found.includes(d)) };
}
