/**
 * `npm run demo`: a short job through the bundled action, exactly as the
 * runner would run it, against the project's local GitHub OIDC issuer and
 * STS stand-in. No AWS account, no GitHub. Exits non-zero if anything behaves
 * other than expected.
 */
import { join } from 'node:path';
import { JobRunner, startOidcIssuer, startSts } from '../standins/index.js';
import type { StepResult } from '../standins/index.js';

const ROOT = join(import.meta.dirname, '..');
const MAIN = join(ROOT, 'dist', 'main', 'index.js');
const POST = join(ROOT, 'dist', 'post', 'index.js');
const JS_CONSUMER = join(ROOT, 'standins', 'consumers', 'js-sdk-loop.mjs');

const DEPLOY = 'arn:aws:iam::123456789012:role/deploy';
const SHORT = 'arn:aws:iam::123456789012:role/short-lived';
const LONG_STEP_SECONDS = 16;

const color = process.stdout.isTTY && !process.env['NO_COLOR'];
const paint = (code: string, s: string) => (color ? `\u001b[${code}m${s}\u001b[0m` : s);
const ok = paint('32', '✔');
const bad = paint('31', '✘');
const dim = (s: string) => paint('2', s);

const failures: string[] = [];
function check(condition: boolean, what: string): void {
  if (!condition) failures.push(what);
}

function line(n: number, title: string, result: StepResult, passed: boolean, detail: string): void {
  const secs = (result.durationMs / 1000).toFixed(2).padStart(5);
  console.log(`${passed ? ok : bad} ${String(n).padEnd(2)} ${title.padEnd(44)} ${secs} s  ${dim(detail)}`);
}

async function main(): Promise<void> {
  const started = Date.now();
  const issuer = await startOidcIssuer();
  const trust = { aud: 'sts.amazonaws.com', sub: 'repo:octo-org/octo-repo:*' };
  const sts = await startSts({
    issuer,
    roles: { [DEPLOY]: { maxSessionDuration: 3 * 3600, trust }, [SHORT]: { maxSessionDuration: 3600, trust } },
  });
  const job = new JobRunner({ env: { ...issuer.env(), AWS_ENDPOINT_URL_STS: sts.endpoint, AWS_EC2_METADATA_DISABLED: 'true' } });
  console.log(`Local GitHub OIDC issuer ${issuer.url}, STS stand-in ${sts.endpoint}.`);
  console.log(`Roles: deploy (max session 3h), short-lived (max 1h). Running a job of 6 steps through dist/ as the runner does:\n`);

  try {
    // 1. The session is unknown: the guard assumes the role through OIDC.
    let calls = sts.calls.length;
    const s1 = await job.runAction(MAIN, { inputs: { 'role-to-assume': DEPLOY, 'aws-region': 'eu-west-1', 'expected-duration': '90m' } });
    const p1 = s1.exitCode === 0 && s1.outputs['refreshed'] === 'true' && sts.calls.length - calls === 1;
    check(p1, 'step 1: the guard should refresh with one STS call');
    line(1, 'guard: no session yet → assume through OIDC', s1, p1, `refreshed=${s1.outputs['refreshed']}, ${s1.outputs['remaining-seconds']} s left, ${sts.calls.length - calls} STS call`);

    // 2. The session covers the next step: nothing to do, no network.
    calls = sts.calls.length;
    const tokens = issuer.requests.length;
    const s2 = await job.runAction(MAIN, { inputs: { 'role-to-assume': DEPLOY, 'aws-region': 'eu-west-1', 'expected-duration': '1h' } });
    const net = sts.calls.length - calls + issuer.requests.length - tokens;
    const p2 = s2.exitCode === 0 && s2.outputs['refreshed'] === 'false' && net === 0;
    check(p2, 'step 2: the healthy guard should make no network call');
    line(2, 'guard: session healthy → nothing to do', s2, p2, `refreshed=${s2.outputs['refreshed']}, ${net} network calls`);

    // 3. The work needs more than the role allows: fail in seconds, naming the limit.
    const s3 = await job.runAction(MAIN, { inputs: { 'role-to-assume': SHORT, 'aws-region': 'eu-west-1', 'expected-duration': '2h' } });
    const p3 = s3.exitCode === 1 && s3.outputs['max-session-duration'] === '3600' && s3.durationMs < 5000;
    check(p3, 'step 3: the guard should fail fast naming the 1 h maximum');
    line(3, 'guard: role max 1h < need 2h5m → fail fast', s3, p3, `failed as expected, max-session-duration=${s3.outputs['max-session-duration']}`);
    console.log(dim(`       ${(s3.errors[0] ?? '').split('\n').join('\n       ')}`));

    // 4. keep-alive: sessions now last 6 s instead of 1 h, to compress hours into seconds.
    sts.setCredentialLifetime((granted) => granted / 600);
    const s4 = await job.runAction(MAIN, {
      inputs: { 'role-to-assume': SHORT, 'aws-region': 'eu-west-1', 'keep-alive': 'true', 'expected-duration': '3h' },
    });
    const p4 = s4.exitCode === 0 && /^http:\/\/127\.0\.0\.1:\d+\/credentials$/.test(s4.outputs['credentials-endpoint'] ?? '');
    check(p4, 'step 4: keep-alive should start the credential server');
    line(4, 'keep-alive: start the credential server', s4, p4, `${s4.outputs['credentials-endpoint']} (1 h sessions compressed to 6 s)`);

    // 5. A long step: an ordinary JS SDK v3 client, default credential chain, no change to it.
    const s5 = await job.runCommand(process.execPath, [JS_CONSUMER, String(LONG_STEP_SECONDS), '200'], {
      name: 'long deploy',
      env: { STS_ENDPOINT: sts.endpoint, NODE_PATH: join(ROOT, 'node_modules') },
      cwd: ROOT,
    });
    const r5 = JSON.parse(s5.stdout.split('\n').find((l) => l.startsWith('{')) ?? '{}') as { ok?: number; failed?: number; keys?: number; errors?: string[] };
    const p5 = s5.exitCode === 0 && (r5.failed ?? 1) === 0 && (r5.keys ?? 0) >= 3;
    check(p5, `step 5: the long step should outlive 3+ sessions with no failed call (got ${JSON.stringify(r5)})`);
    line(5, `long step: JS SDK v3 calls AWS for ${LONG_STEP_SECONDS} s`, s5, p5, `${r5.ok} calls OK, ${r5.failed} failed, ${r5.keys} sessions used`);

    // 6. Post: stop the server, write the session timeline.
    const s6 = await job.runPost(POST, s4);
    const p6 = s6.exitCode === 0 && s6.summary.includes('keep-alive timeline');
    check(p6, 'step 6: the post step should stop the server and write the timeline');
    line(6, 'post: stop the server, write the timeline', s6, p6, 'server stopped');

    const leaked = job.secretsUnmasked(
      [s1, s4].flatMap((s) => ['AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_CONTAINER_AUTHORIZATION_TOKEN'].map((n) => s.exportedEnv[n] ?? '')),
    );
    check(leaked.length === 0, `no secret may reach the log unmasked (${leaked.length} did)`);

    console.log('\nJob summary written by the steps:\n');
    const summary = job.steps.map((s) => s.summary).join('');
    console.log(
      summary
        .split('\n')
        .map((l) => '  ' + l.replace(/\*\*/g, ''))
        .join('\n'),
    );
  } finally {
    await job.cleanup();
    await sts.close();
    await issuer.close();
  }

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (failures.length > 0) {
    console.log(`${bad} The demo did not behave as expected (${seconds} s):`);
    for (const f of failures) console.log(`   - ${f}`);
    process.exitCode = 1;
  } else {
    console.log(`${ok} Everything behaved as expected, in ${seconds} s. No AWS account and no GitHub were used.`);
  }
}

await main();
