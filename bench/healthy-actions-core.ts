/**
 * Bench-only: the guard's healthy path written on `@actions/core`, to weigh
 * the hand-written toolkit (src/runner/toolkit.ts) against the usual choice.
 * The bench bundles it with ncc into a temporary directory at bench time; it
 * is never part of dist/.
 *
 * It does what the healthy path does: reads every input, checks
 * AWS_CREDENTIAL_EXPIRATION (or the `expiration` input) against
 * expected-duration + safety-margin, sets three outputs, logs one line and
 * appends one line to the step summary. Anything else exits 1 ("would
 * refresh"), which the bench counts as a failed run.
 */
import * as core from '@actions/core';

const INPUTS = [
  'role-to-assume',
  'aws-region',
  'audience',
  'role-session-name',
  'expected-duration',
  'safety-margin',
  'role-duration-seconds',
  'expiration',
  'fail-on-short-session',
  'sts-endpoint',
  'inline-session-policy',
  'managed-session-policies',
  'mask-aws-account-id',
  'retry-max-attempts',
  'keep-alive',
  'chained-role-to-assume',
] as const;

const UNIT_SECONDS: Record<string, number> = { d: 86_400, h: 3600, m: 60, s: 1 };

/** 5400, 90m, 1h30m, 1h 30m: the same forms the action accepts. */
function seconds(raw: string): number {
  if (/^\d+$/.test(raw)) return Number(raw);
  const m = /^(?:(\d+)d)? ?(?:(\d+)h)? ?(?:(\d+)m)? ?(?:(\d+)s)?$/i.exec(raw);
  if (!m || raw === '') throw new Error(`not a duration: ${raw}`);
  return ['d', 'h', 'm', 's'].reduce((sum, unit, i) => sum + Number(m[i + 1] ?? 0) * (UNIT_SECONDS[unit] ?? 0), 0);
}

async function run(): Promise<void> {
  const inputs = Object.fromEntries(INPUTS.map((name) => [name, core.getInput(name)]));
  const needSeconds = seconds(inputs['expected-duration'] || '1h') + seconds(inputs['safety-margin'] || '5m');
  const raw = process.env['AWS_CREDENTIAL_EXPIRATION'] || inputs['expiration'] || '';
  const at = Date.parse(raw);
  const remainingSeconds = Math.floor((at - Date.now()) / 1000);
  if (!Number.isFinite(at) || remainingSeconds < needSeconds) {
    core.setFailed(`would refresh: ${raw || 'no expiry'} leaves ${remainingSeconds} s, ${needSeconds} s needed`);
    return;
  }
  const expiration = new Date(at).toISOString();
  core.setOutput('expiration', expiration);
  core.setOutput('remaining-seconds', String(remainingSeconds));
  core.setOutput('refreshed', 'false');
  core.info(`The AWS session has ${remainingSeconds} s left (until ${expiration}); the work needs ${needSeconds} s. Nothing to do.`);
  await core.summary.addRaw(`- ${new Date().toISOString()}: ${remainingSeconds} s left, ${needSeconds} s needed. Healthy: kept the current session.`, true).write();
}

await run();
