/**
 * Throw-away TLS certificates for stand-ins served over https: a test CA and
 * a server certificate it signed for the given addresses and names, made with
 * the openssl command (Debian's `openssl` package; .ci/run installs it).
 *
 * Clients trust the CA through `caFile`: NODE_EXTRA_CA_CERTS for Node (the
 * action, the JS SDK), AWS_CA_BUNDLE for the AWS CLI and boto3.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificates {
  /** PEM of the CA that signed `cert`. */
  readonly ca: string;
  /** The CA's PEM in a file, for NODE_EXTRA_CA_CERTS / AWS_CA_BUNDLE. */
  readonly caFile: string;
  /** The server's private key and certificate (PEM), for ListenOptions.tls. */
  readonly key: string;
  readonly cert: string;
  /** Removes the files. */
  cleanup(): void;
}

function openssl(args: string[], cwd: string): void {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error('The openssl command is missing: install Debian\'s "openssl" package (apt-get install openssl, as .ci/run does).');
  }
  if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr}`);
}

/** A CA and a server certificate for `hosts` (IP addresses and DNS names), valid for two days. */
export function makeTestCertificates(hosts: readonly string[]): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'standin-tls-'));
  try {
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    openssl(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=aws-session-guard test CA',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
    openssl(['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=aws-session-guard stand-in'], dir);
    const san = hosts.map((h) => (isIP(h) ? `IP:${h}` : `DNS:${h}`)).join(',');
    writeFileSync(join(dir, 'server.ext'), `subjectAltName=${san}\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n`);
    openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'server.ext'], dir);
    const read = (f: string) => readFileSync(join(dir, f), 'utf8');
    return {
      ca: read('ca.pem'),
      caFile: join(dir, 'ca.pem'),
      key: read('server.key'),
      cert: read('server.pem'),
      cleanup: () => rmSync(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
