/**
 * The floor of a refresh, for the bench's section 4: the same two calls as the
 * guard's refresh path (GET the GitHub OIDC ID token, POST
 * AssumeRoleWithWebIdentity) and the same three keys written to GITHUB_ENV,
 * with nothing else: no input read or checked beyond the role, no retry, no
 * proxy, no timeout, no outputs, no summary, no marker. CommonJS, one file,
 * `node:https` and `node:http` loaded up front (the refresh path loads both).
 * A reference only: no step should ever run this.
 */
'use strict';
const https = require('node:https');
const http = require('node:http');
const { appendFileSync } = require('node:fs');

const env = process.env;

function call(url, options, body) {
  return new Promise((resolve, reject) => {
    const request = (url.startsWith('https:') ? https : http).request(url, { ...options, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

function element(xml, name) {
  const start = xml.indexOf(`<${name}>`);
  const end = xml.indexOf(`</${name}>`, start);
  if (start < 0 || end < 0) throw new Error(`no <${name}> in the STS answer`);
  return xml.slice(start + name.length + 2, end);
}

async function main() {
  const tokenUrl = `${env.ACTIONS_ID_TOKEN_REQUEST_URL}&audience=sts.amazonaws.com`;
  const token = await call(tokenUrl, { headers: { Authorization: `Bearer ${env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` } });
  if (token.status !== 200) throw new Error(`ID token: HTTP ${token.status}`);
  const form = new URLSearchParams({
    Action: 'AssumeRoleWithWebIdentity',
    Version: '2011-06-15',
    RoleArn: env['INPUT_ROLE-TO-ASSUME'] ?? '',
    RoleSessionName: 'GitHubActions',
    WebIdentityToken: JSON.parse(token.body).value,
    DurationSeconds: '3600',
  }).toString();
  const sts = await call(env.AWS_ENDPOINT_URL_STS ?? 'https://sts.amazonaws.com', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }, form);
  if (sts.status !== 200) throw new Error(`STS: HTTP ${sts.status}`);
  const keys = ['AccessKeyId', 'SecretAccessKey', 'SessionToken'].map((name) => element(sts.body, name));
  process.stdout.write(`::add-mask::${keys[1]}\n::add-mask::${keys[2]}\n`);
  appendFileSync(env.GITHUB_ENV, `AWS_ACCESS_KEY_ID=${keys[0]}\nAWS_SECRET_ACCESS_KEY=${keys[1]}\nAWS_SESSION_TOKEN=${keys[2]}\n`);
}

main().catch((error) => {
  process.stderr.write(`minimal-refresh: ${error.message}\n`);
  process.exitCode = 1;
});
