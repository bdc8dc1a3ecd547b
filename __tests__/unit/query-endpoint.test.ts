/**
 * Where the Query client sends AssumeRoleWithWebIdentity: the URL the real
 * SDK's endpoint resolver gives for the same region, or nothing (the SDK
 * takes the call) when only the SDK knows. And which calls the gateway the
 * minter gets leaves to the SDK.
 */
import { describe, expect, test } from '@jest/globals';
import { STSClient } from '@aws-sdk/client-sts';
import { configFileSetsEndpoint, partitionDnsSuffix, queryEndpoint } from '../../src/sts/query-endpoint.js';
import { createStsGateway, type SdkGatewayFactory } from '../../src/sts/gateway.js';
import type { GatewayOptions, StsGateway, StsResult } from '../../src/model/sts-types.js';
import { AbortError } from '../../src/util/abort.js';

/** Every region the SDK's partition table names (3.1169), and a few that only its patterns match. */
const REGIONS = [
  'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1', 'ap-south-2',
  'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-6', 'ap-southeast-7',
  'aws-global', 'ca-central-1', 'ca-west-1', 'eu-central-1', 'eu-central-2', 'eu-north-1', 'eu-south-1', 'eu-south-2',
  'eu-west-1', 'eu-west-2', 'eu-west-3', 'il-central-1', 'me-central-1', 'me-south-1', 'me-west-1', 'mx-central-1',
  'sa-east-1', 'sa-west-1', 'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
  'cn-north-1', 'cn-northwest-1', 'eusc-de-east-1', 'us-iso-east-1', 'us-iso-west-1', 'us-isob-east-1', 'us-isob-west-1',
  'eu-isoe-west-1', 'us-isof-east-1', 'us-isof-south-1', 'us-gov-east-1', 'us-gov-west-1',
  // Not (yet) in the table: the partitions' patterns.
  'ap-future-9', 'cn-south-7', 'us-gov-north-3', 'us-iso-north-2', 'eusc-de-west-4', 'eu-isoe-north-2', 'us-isof-west-2',
];

const sdkClient = new STSClient({ region: 'us-east-1' });
const sdkUrl = async (region: string): Promise<string> => {
  const resolved = await sdkClient.config.endpointProvider({ Region: region, UseFIPS: false, UseDualStack: false, UseGlobalEndpoint: false });
  return resolved.url.href;
};

describe('queryEndpoint', () => {
  test.each(REGIONS)('%s: the URL the SDK resolves', async (region) => {
    expect(queryEndpoint({ region }, {}, () => '')).toBe(await sdkUrl(region));
  });

  test('region names outside the partitions: left to the SDK', () => {
    for (const region of ['aws-cn-global', 'aws-iso-global', 'local', 'us-east', 'US-EAST-1', 'xx-east-1', 'us-east-1a', 'us--1', 'us-east-1-2-3', 'us-isoz-east-1']) {
      expect(queryEndpoint({ region }, {}, () => '')).toBeUndefined();
    }
  });

  test('an explicit endpoint wins (http or https), kept as given', () => {
    expect(queryEndpoint({ region: 'eu-west-1', endpoint: 'http://127.0.0.1:4566' }, {}, () => '')).toBe('http://127.0.0.1:4566/');
    expect(queryEndpoint({ region: 'eu-west-1', endpoint: 'https://sts.internal.example/prefix' }, {}, () => '')).toBe('https://sts.internal.example/prefix');
    expect(queryEndpoint({ region: 'eu-west-1', endpoint: 'not a url' }, {}, () => '')).toBeUndefined();
    expect(queryEndpoint({ region: 'eu-west-1', endpoint: 'ftp://x' }, {}, () => '')).toBeUndefined();
  });

  test('FIPS or dual-stack asked for in the env: left to the SDK', () => {
    for (const name of ['AWS_USE_FIPS_ENDPOINT', 'AWS_USE_DUALSTACK_ENDPOINT']) {
      expect(queryEndpoint({ region: 'us-east-1' }, { [name]: 'true' }, () => '')).toBeUndefined();
      expect(queryEndpoint({ region: 'us-east-1' }, { [name]: '' }, () => '')).toBeUndefined();
      expect(queryEndpoint({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1' }, { [name]: 'true' }, () => '')).toBeUndefined();
      expect(queryEndpoint({ region: 'us-east-1' }, { [name]: 'false' }, () => '')).toBe('https://sts.us-east-1.amazonaws.com/');
    }
  });

  test('an AWS config file that sets an endpoint or a variant: left to the SDK; where the file is', () => {
    const files: Record<string, string> = {
      '/cfg/a': '[default]\nregion = us-east-1\n',
      '/cfg/b': '[profile x]\nuse_fips_endpoint = true\n',
      '/cfg/c': '[services s]\nsts =\n  Endpoint_URL = http://localhost:4566\n',
      '/home/u/.aws/config': '[default]\nuse_dualstack_endpoint=true\n',
    };
    const read = (path: string) => {
      const text = files[path];
      if (text === undefined) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return text;
    };
    expect(configFileSetsEndpoint({ AWS_CONFIG_FILE: '/cfg/a' }, read)).toBe(false);
    expect(configFileSetsEndpoint({ AWS_CONFIG_FILE: '/cfg/b' }, read)).toBe(true);
    expect(configFileSetsEndpoint({ AWS_CONFIG_FILE: '/cfg/c' }, read)).toBe(true);
    expect(configFileSetsEndpoint({ HOME: '/home/u' }, read)).toBe(true);
    expect(configFileSetsEndpoint({ HOME: '/nowhere' }, read)).toBe(false);
    expect(queryEndpoint({ region: 'us-east-1' }, { AWS_CONFIG_FILE: '/cfg/b' }, read)).toBeUndefined();
    expect(queryEndpoint({ region: 'us-east-1' }, { AWS_CONFIG_FILE: '/cfg/a' }, read)).toBe('https://sts.us-east-1.amazonaws.com/');
  });

  test('partitionDnsSuffix', () => {
    expect(partitionDnsSuffix('cn-north-1')).toBe('amazonaws.com.cn');
    expect(partitionDnsSuffix('us-gov-west-1')).toBe('amazonaws.com');
    expect(partitionDnsSuffix('us-isob-east-1')).toBe('sc2s.sgov.gov');
  });
});

describe('createStsGateway: what goes to the SDK', () => {
  const result = (tag: string): StsResult => ({
    credentials: { accessKeyId: tag, secretAccessKey: 's', sessionToken: 't', expiration: new Date(0) },
    assumedRoleArn: tag,
    receivedAt: 0,
    latencyMs: 0,
  });
  function fakeSdk() {
    const log: string[] = [];
    let loads = 0;
    let closed = 0;
    const factory: SdkGatewayFactory = (options: GatewayOptions): StsGateway => {
      log.push(`create ${options.region} ${options.endpoint ?? '-'}`);
      return {
        assumeRoleWithWebIdentity: async () => result('sdk-web'),
        assumeRole: async () => result('sdk-assume'),
        getCallerIdentity: async () => 'arn:aws:iam::123456789012:user/u',
        close: () => void closed++,
      };
    };
    return {
      log,
      loads: () => loads,
      closed: () => closed,
      loadSdk: async () => {
        loads++;
        return factory;
      },
    };
  }
  const web = { roleArn: 'arn:aws:iam::123456789012:role/r', roleSessionName: 's', durationSeconds: 900, webIdentityToken: 'j' };

  test('FIPS asked for: AssumeRoleWithWebIdentity through the SDK, with the same options', async () => {
    const sdk = fakeSdk();
    const gateway = createStsGateway({ region: 'us-east-1', env: { AWS_USE_FIPS_ENDPOINT: 'true' }, loadSdk: sdk.loadSdk, readFile: () => '' });
    expect((await gateway.assumeRoleWithWebIdentity(web)).assumedRoleArn).toBe('sdk-web');
    expect(sdk.log).toEqual(['create us-east-1 -']);
  });

  test('a parameter the Query client does not send: through the SDK, so nothing is dropped', async () => {
    const sdk = fakeSdk();
    const gateway = createStsGateway({ region: 'us-east-1', endpoint: 'http://127.0.0.1:1', env: {}, loadSdk: sdk.loadSdk, readFile: () => '' });
    const extra = { ...web, providerId: 'www.amazon.com' } as typeof web;
    expect((await gateway.assumeRoleWithWebIdentity(extra)).assumedRoleArn).toBe('sdk-web');
    expect(sdk.loads()).toBe(1);
  });

  test('AssumeRole: the SDK loaded once, closed with the gateway; an abort before it loads rejects', async () => {
    const sdk = fakeSdk();
    const gateway = createStsGateway({ region: 'eu-west-1', env: {}, loadSdk: sdk.loadSdk, readFile: () => '' });
    const creds = result('x').credentials;
    await expect(gateway.assumeRole(creds, web, AbortSignal.abort())).rejects.toBeInstanceOf(AbortError);
    expect(sdk.loads()).toBe(0);
    await gateway.assumeRole(creds, web);
    await gateway.assumeRole(creds, web);
    expect(sdk.loads()).toBe(1);
    gateway.close();
    gateway.close();
    await new Promise((r) => setImmediate(r));
    expect(sdk.closed()).toBe(1);
  });

  test('close without the SDK loaded loads nothing', async () => {
    const sdk = fakeSdk();
    createStsGateway({ region: 'eu-west-1', env: {}, loadSdk: sdk.loadSdk, readFile: () => '' }).close();
    await new Promise((r) => setImmediate(r));
    expect(sdk.loads()).toBe(0);
  });
});
