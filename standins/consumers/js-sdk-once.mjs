// One GetCallerIdentity with the JS SDK v3 default credential chain; prints the
// caller ARN, or the error name and message, and exits 0 / 1.
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';

const client = new STSClient({ region: process.env.AWS_REGION, endpoint: process.env.STS_ENDPOINT, maxAttempts: 1 });
try {
  const out = await client.send(new GetCallerIdentityCommand({}));
  console.log(JSON.stringify({ ok: true, arn: out.Arn, account: out.Account }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, code: e.name, message: e.message }));
  process.exitCode = 1;
}
