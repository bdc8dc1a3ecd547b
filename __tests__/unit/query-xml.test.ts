/**
 * The Query client's XML reading: STS's real answer bodies (success and each
 * error shape), entities, missing fields, and what is not STS XML at all (a
 * proxy's HTML page, a truncated body), each as classify() then sees it.
 */
import { describe, expect, test } from '@jest/globals';
import { classify } from '../../src/sts/errors.js';
import { parseStsAnswer, StsServiceError, webIdentityForm } from '../../src/sts/query-gateway.js';
import { decodeEntities, parseXml, textAt } from '../../src/sts/query-xml.js';

const ACTION = 'AssumeRoleWithWebIdentity';
const ctx = { roleArn: 'arn:aws:iam::123456789012:role/deploy', audience: 'sts.amazonaws.com' };

/** The example answer of the STS API reference (AssumeRoleWithWebIdentity), members in its order. */
const SUCCESS = `<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleWithWebIdentityResult>
    <SubjectFromWebIdentityToken>amzn1.account.AF6RHO7KZU5XRVQJGXK6HB56KR2A</SubjectFromWebIdentityToken>
    <Audience>client.5498841531868486423.1548@apps.example.com</Audience>
    <AssumedRoleUser>
      <Arn>arn:aws:sts::123456789012:assumed-role/FederatedWebIdentityRole/app1</Arn>
      <AssumedRoleId>AROACLKWSDQRAOEXAMPLE:app1</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <SessionToken>AQoDYXdzEE0a8ANXXXXXXXXNO1ewxE5TijQyp+IEXAMPLE</SessionToken>
      <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>
      <Expiration>2014-10-24T23:00:23Z</Expiration>
      <AccessKeyId>ASgeIAIOSFODNN7EXAMPLE</AccessKeyId>
    </Credentials>
    <SourceIdentity>SourceIdentityValue</SourceIdentity>
    <Provider>www.amazon.com</Provider>
  </AssumeRoleWithWebIdentityResult>
  <ResponseMetadata>
    <RequestId>ad4156e9-bce1-11e2-82e6-6b6efEXAMPLE</RequestId>
  </ResponseMetadata>
</AssumeRoleWithWebIdentityResponse>
`;

const errorBody = (type: string, code: string, message: string) =>
  `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">\n  <Error>\n    <Type>${type}</Type>\n    <Code>${code}</Code>\n` +
  `    <Message>${message}</Message>\n  </Error>\n  <RequestId>4a3e9a5c-1b2f-4a0e-9d7e-000000000000</RequestId>\n</ErrorResponse>\n`;

function asError(value: ReturnType<typeof parseStsAnswer>): Error {
  if (!(value instanceof Error)) throw new Error('expected an error');
  return value;
}

describe('parseStsAnswer: success', () => {
  test('reads the credentials and the assumed role of the reference answer', () => {
    expect(parseStsAnswer(ACTION, 200, SUCCESS)).toEqual({
      accessKeyId: 'ASgeIAIOSFODNN7EXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY',
      sessionToken: 'AQoDYXdzEE0a8ANXXXXXXXXNO1ewxE5TijQyp+IEXAMPLE',
      expiration: new Date('2014-10-24T23:00:23Z'),
      assumedRoleArn: 'arn:aws:sts::123456789012:assumed-role/FederatedWebIdentityRole/app1',
    });
  });

  test('with an XML declaration, a prefix on the names, CDATA and entities in values', () => {
    const body =
      '<?xml version="1.0" encoding="UTF-8"?>\n<!-- served by STS -->' +
      SUCCESS.replace('wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY', 'a&amp;b&lt;c&gt;&#43;&#x2F;')
        .replace('AQoDYXdzEE0a8ANXXXXXXXXNO1ewxE5TijQyp+IEXAMPLE', '<![CDATA[tok&en]]>')
        .replace(/AssumedRoleUser>/g, 'sts:AssumedRoleUser>');
    const parsed = parseStsAnswer(ACTION, 200, body);
    expect(parsed).toMatchObject({ secretAccessKey: 'a&b<c>+/', sessionToken: 'tok&en' });
  });

  test.each([
    ['AccessKeyId', '<AccessKeyId>ASgeIAIOSFODNN7EXAMPLE</AccessKeyId>'],
    ['SecretAccessKey', '<SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>'],
    ['SessionToken', '<SessionToken>AQoDYXdzEE0a8ANXXXXXXXXNO1ewxE5TijQyp+IEXAMPLE</SessionToken>'],
    ['Expiration', '<Expiration>2014-10-24T23:00:23Z</Expiration>'],
  ])('an answer without %s is an error that names no secret, and permanent as the SDK gateway has it', (_name, element) => {
    const error = asError(parseStsAnswer(ACTION, 200, SUCCESS.replace(element, '')));
    expect(error.message).toBe('STS answered without a complete set of credentials.');
    expect(error.message).not.toMatch(/EXAMPLE/);
    expect(classify(error, ctx).kind).toBe('permanent');
  });

  test('an unreadable Expiration is incomplete, not a date in 1970', () => {
    const error = asError(parseStsAnswer(ACTION, 200, SUCCESS.replace('2014-10-24T23:00:23Z', 'soon')));
    expect(error.message).toMatch(/complete set of credentials/);
  });

  test('no AssumedRoleUser: an empty ARN, as the SDK gateway gives', () => {
    const body = SUCCESS.replace(/<AssumedRoleUser>[^]*<\/AssumedRoleUser>/, '');
    expect(parseStsAnswer(ACTION, 200, body)).toMatchObject({ assumedRoleArn: '' });
  });

  test("another action's answer is not this one's", () => {
    const body = SUCCESS.replace(/AssumeRoleWithWebIdentity(Response|Result)/g, 'AssumeRole$1');
    expect(asError(parseStsAnswer(ACTION, 200, body)).message).toMatch(/complete set of credentials/);
  });

  test('a 200 whose body is cut off or not XML is permanent (as the SDK has it), and says what came', () => {
    const cut = asError(parseStsAnswer(ACTION, 200, SUCCESS.slice(0, 400)));
    expect(classify(cut, ctx)).toMatchObject({ kind: 'permanent' });
    expect(cut.message).not.toMatch(/EXAMPLE/);
    const text = asError(parseStsAnswer(ACTION, 200, 'hello', 'text/plain; charset=utf-8'));
    expect(text.message).toBe('STS answered HTTP 200 with a body that is not XML (text/plain).');
    expect(classify(text, ctx).kind).toBe('permanent');
  });
});

describe('parseStsAnswer: STS errors keep the SDK shape, so classify() sees them as it sees the SDK', () => {
  test.each([
    [403, 'Sender', 'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity', 'permanent'],
    [400, 'Sender', 'ExpiredTokenException', 'Token expired: current date/time 1700000400 must be before the expiration date/time 1700000300', 'transient'],
    [400, 'Sender', 'InvalidIdentityToken', 'No OpenIDConnect provider found in your account for https://token.actions.githubusercontent.com', 'permanent'],
    [400, 'Sender', 'InvalidIdentityToken', "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements", 'transient'],
    [400, 'Sender', 'ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.', 'duration-too-long'],
    [400, 'Sender', 'Throttling', 'Rate exceeded', 'transient'],
    [400, 'Sender', 'IDPCommunicationError', 'The request could not be fulfilled because the identity provider (IDP) that was asked to verify the incoming identity token could not be reached.', 'transient'],
    [400, 'Sender', 'IDPRejectedClaim', 'Incorrect token audience', 'permanent'],
    [500, 'Receiver', 'InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', 'transient'],
    [503, 'Receiver', 'ServiceUnavailable', 'The request has failed due to a temporary failure of the server.', 'transient'],
  ])('HTTP %i %s %s', (status, type, code, message, kind) => {
    const error = asError(parseStsAnswer(ACTION, status, errorBody(type, code, message)));
    expect(error).toBeInstanceOf(StsServiceError);
    expect(error).toMatchObject({ name: code, Code: code, Type: type, message, $metadata: { httpStatusCode: status, requestId: '4a3e9a5c-1b2f-4a0e-9d7e-000000000000' } });
    expect(classify(error, ctx)).toMatchObject({ kind, code });
  });

  test('entities in the message are decoded', () => {
    const error = asError(parseStsAnswer(ACTION, 400, errorBody('Sender', 'ValidationError', 'a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos; &#65;&#x42; &unknown; & x')));
    expect(error.message).toBe(`a <b> & "c" 'd' AB &unknown; & x`);
  });

  test('an error without a Message takes its code as message; one without a Code is judged by its status', () => {
    expect(asError(parseStsAnswer(ACTION, 400, '<ErrorResponse><Error><Code>Throttling</Code></Error></ErrorResponse>')).message).toBe('Throttling');
    const noCode = asError(parseStsAnswer(ACTION, 400, '<ErrorResponse><Error><Type>Sender</Type><Message>x</Message></Error></ErrorResponse>'));
    expect(classify(noCode, ctx).kind).toBe('permanent');
    const noCode503 = asError(parseStsAnswer(ACTION, 503, '<ErrorResponse><Error><Message>x</Message></Error></ErrorResponse>'));
    expect(classify(noCode503, ctx).kind).toBe('transient');
  });

  test.each([
    [502, '<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>', 'text/html', 'transient'],
    [504, '<!DOCTYPE html><html><body>Gateway Timeout</body></html>', 'text/html', 'transient'],
    [503, 'Service Unavailable', 'text/plain', 'transient'],
    [500, '', '', 'transient'],
    [429, '<html><body>Too many requests</body></html>', 'text/html', 'transient'],
    [400, errorBody('Sender', 'Throttling', 'Rate exceeded').slice(0, 120), 'text/xml', 'permanent'],
    [403, '{"message":"Forbidden"}', 'application/json', 'permanent'],
    [404, '<html><body>Not Found</body></html>', 'text/html', 'permanent'],
  ])('HTTP %i that is not an STS error: classified by status, as the SDK does', (status, body, type, kind) => {
    const error = asError(parseStsAnswer(ACTION, status, body, type));
    expect(error).toMatchObject({ name: `HTTP${status}`, $metadata: { httpStatusCode: status } });
    expect(error.message).toMatch(new RegExp(`^STS answered HTTP ${status} with `));
    expect(classify(error, ctx).kind).toBe(kind);
  });
});

describe('parseXml', () => {
  test('one well-formed element, or nothing', () => {
    expect(textAt(parseXml('<a><b x="1>2" y=\'/\'>t</b><c/></a>'), 'b')).toBe('t');
    expect(parseXml('<a><c/></a>')?.children.map((c) => c.name)).toEqual(['c']);
    for (const bad of ['', 'text', '<a>', '<a></b>', '<a></a><b></b>', '<a><b></a></b>', 'x<a></a>', '<a></a>x', '<!DOCTYPE a><a></a>', '<a><!-- open', '<a><![CDATA[x', '<a x="1></a>', '<>x</>', `${'<a>'.repeat(100)}${'</a>'.repeat(100)}`]) {
      expect(parseXml(bad)).toBeUndefined();
    }
  });

  test('takes linear time on adversarial input (no backtracking)', () => {
    const inputs = ['<a>' + '&'.repeat(200_000) + '</a>', '<a ' + '"'.repeat(200_001), '<a>' + '<!--'.repeat(50_000), '<' + 'a'.repeat(200_000), '<a>' + '&#'.repeat(100_000) + '</a>'];
    for (const input of inputs) {
      const started = performance.now();
      parseXml(input);
      decodeEntities(input);
      // A few ms when linear; a backtracking parser takes minutes on 200 kB: 5 s no busy machine can miss.
      expect(performance.now() - started).toBeLessThan(5_000);
    }
  });
});

describe('webIdentityForm', () => {
  test('the SDK query serialization: member order, RFC 3986 encoding, PolicyArns.member.N.arn', () => {
    const form = webIdentityForm({
      roleArn: 'arn:aws:iam::123456789012:role/deploy',
      roleSessionName: 'gh-1',
      webIdentityToken: 'a.b_c-d',
      durationSeconds: 3600,
      policy: `{"Effect": "Allow", "Action": "s3:*", "x": "!'()*"}`,
      policyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::aws:policy/Other'],
    });
    expect(form).toBe(
      'Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdeploy&RoleSessionName=gh-1' +
        '&WebIdentityToken=a.b_c-d&PolicyArns.member.1.arn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FReadOnlyAccess' +
        '&PolicyArns.member.2.arn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FOther' +
        '&Policy=%7B%22Effect%22%3A%20%22Allow%22%2C%20%22Action%22%3A%20%22s3%3A%2A%22%2C%20%22x%22%3A%20%22%21%27%28%29%2A%22%7D' +
        '&DurationSeconds=3600',
    );
  });
});
