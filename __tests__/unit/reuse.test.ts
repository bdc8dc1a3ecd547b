/**
 * keepalive/reuse.ts as a table: what a keep-alive step does with the server
 * in the job's record (reuse, replace, stop first, restart, start fresh),
 * from the record, the process state, the server's status, and the step's
 * settings and env. Pure: no process, no network, no file.
 */
import { describe, test, expect } from '@jest/globals';
import type { ServerStatus } from '../../src/keepalive/credential-server.js';
import { relativeUriDigest, type ServerRecord } from '../../src/keepalive/files.js';
import type { ProcessState } from '../../src/keepalive/process-control.js';
import { decideReuse, inheritedRelativeUri, servesContainers, type ReuseDecision } from '../../src/keepalive/reuse.js';

const ENDPOINT = 'http://127.0.0.1:40123/v1/credentials';
const ROLE = 'arn:aws:iam::123456789012:role/deploy';
const OURS = 'identity-of-this-step';
const THEIRS = 'identity-of-another-step';
const NONCE = 'n0nce';
const PATH = '/v2/credentials/secret-part';

const loopback: ServerRecord = { pid: 4242, start: '100', nonce: NONCE, dir: '/tmp/x', endpoint: ENDPOINT, controlToken: 'c', startedAt: 0, roleArn: ROLE, identity: OURS };
const fellBack: ServerRecord = { ...loopback, linkLocalUnavailable: true };
const linkLocal: ServerRecord = { ...loopback, linkLocal: { tag: 'tag', addedAddress: true }, relativeUriDigest: relativeUriDigest(PATH) };
const notReady: ServerRecord = { pid: 4242, nonce: NONCE, dir: '/tmp/x', controlToken: 'c', startedAt: 0, roleArn: ROLE, identity: OURS };

const status = (identity: string, nonce = NONCE): ServerStatus => ({ pid: 4242, nonce, identity, refreshes: 1, served: 1, refused: 0, expectedUntil: 0 });
const answersOurs = status(OURS);

/** The env of a job whose earlier step handed over the loopback server, or the link-local one. */
const loopbackEnv = { AWS_CONTAINER_CREDENTIALS_FULL_URI: ENDPOINT, AWS_CONTAINER_AUTHORIZATION_TOKEN: 'tok' };
const linkLocalEnv = { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: PATH };

const WRONG_LOOPBACK = "serves loopback only, and this step asks for 'serve-containers: true'";
const WRONG_CONTAINERS = "serves containers, and this step asks for 'serve-containers: false'";
const OTHER_SETTINGS = `serves ${ROLE} with other settings than this step asks for`;
const GONE_FROM_ENV = 'was handed over with credentials that are no longer in the environment';

type Row = [
  name: string,
  record: ServerRecord | undefined,
  running: ProcessState,
  status: ServerStatus | undefined,
  serveContainers: boolean,
  env: Record<string, string>,
  expected: ReuseDecision | ReuseDecision['kind'],
];

const reuseLoopback: ReuseDecision = { kind: 'reuse', endpoint: ENDPOINT, via: { authToken: 'tok' }, status: answersOurs };
const rows: Row[] = [
  ['no server recorded', undefined, 'gone', undefined, false, {}, 'fresh'],
  ['the loopback server, handed over here', loopback, 'running', answersOurs, false, loopbackEnv, reuseLoopback],
  ['the same, its start time not verifiable on this OS', loopback, 'unverifiable', answersOurs, false, loopbackEnv, reuseLoopback],
  ['the link-local server, handed over here', linkLocal, 'running', answersOurs, true, linkLocalEnv, { kind: 'reuse', endpoint: ENDPOINT, via: { relativePath: PATH }, status: answersOurs }],
  ['a loopback fallback, for a serve-containers step', fellBack, 'running', answersOurs, true, loopbackEnv, reuseLoopback],
  ['its process is gone', loopback, 'gone', undefined, false, loopbackEnv, 'restart'],
  ['its pid is another process now', loopback, 'other', undefined, false, loopbackEnv, 'restart'],
  ['it does not answer', loopback, 'running', undefined, false, loopbackEnv, { kind: 'stop', why: 'does not answer', answers: false }],
  ['another process answers on its port', loopback, 'running', status(OURS, 'other-nonce'), false, loopbackEnv, { kind: 'stop', why: 'does not answer', answers: false }],
  ['it never became ready', notReady, 'running', undefined, false, {}, { kind: 'stop', why: 'does not answer', answers: false }],
  ['it serves other credentials', loopback, 'running', status(THEIRS), false, loopbackEnv, { kind: 'replace', why: OTHER_SETTINGS }],
  ['it serves other credentials and holds the link-local address this step needs', linkLocal, 'running', status(THEIRS), true, linkLocalEnv, { kind: 'stop', why: OTHER_SETTINGS, answers: true }],
  ['it serves loopback only, this step serves containers', loopback, 'running', answersOurs, true, loopbackEnv, { kind: 'replace', why: WRONG_LOOPBACK }],
  ['it serves containers, this step loopback only', linkLocal, 'running', answersOurs, false, {}, { kind: 'replace', why: WRONG_CONTAINERS }],
  ['its token is no longer in the env', loopback, 'running', answersOurs, false, { AWS_CONTAINER_CREDENTIALS_FULL_URI: ENDPOINT }, { kind: 'replace', why: GONE_FROM_ENV }],
  ['the env names another server', loopback, 'running', answersOurs, false, { ...loopbackEnv, AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://127.0.0.1:1/v1/credentials' }, { kind: 'replace', why: GONE_FROM_ENV }],
  ['the env holds a relative URI that is not its own', linkLocal, 'running', answersOurs, true, { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/other' }, { kind: 'stop', why: GONE_FROM_ENV, answers: true }],
];

describe('decideReuse', () => {
  test.each(rows)('%s', (_name, record, running, answer, serveContainers, env, expected) => {
    const decision = decideReuse({ record, running, status: answer, identity: OURS, serveContainers, env });
    if (typeof expected === 'string') expect(decision).toEqual({ kind: expected });
    else expect(decision).toEqual(expected);
  });
});

type Inherited = ReturnType<typeof inheritedRelativeUri>;

describe('inheritedRelativeUri and servesContainers', () => {
  test.each<[string, Record<string, string>, ServerRecord | undefined, Inherited]>([
    ['no relative URI', {}, linkLocal, 'none'],
    ['the one our record names', linkLocalEnv, linkLocal, 'ours'],
    ['one our record does not name', { AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2/credentials/other' }, linkLocal, 'foreign'],
    ['one, and a loopback record (no digest)', linkLocalEnv, loopback, 'foreign'],
    ['one, and no record (ECS, CodeBuild)', linkLocalEnv, undefined, 'foreign'],
  ])('%s', (_name, env, record, expected) => {
    expect(inheritedRelativeUri(env, record)).toBe(expected);
  });

  test.each<[boolean, Inherited, boolean]>([
    [false, 'none', false],
    [false, 'foreign', false],
    [false, 'ours', true],
    [true, 'none', true],
  ])('asked %s, inherited %s: serves containers %s', (asked, inherited, expected) => {
    expect(servesContainers(asked, inherited)).toBe(expected);
  });
});
