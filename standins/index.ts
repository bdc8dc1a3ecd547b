/** Local test stand-ins: GitHub OIDC issuer, AWS STS, GitHub runner emulator. */
export { startOidcIssuer } from './oidc-issuer.js';
export type { OidcDown, OidcIssuer, OidcIssuerOptions, OidcTokenRequest } from './oidc-issuer.js';
export { startSts, stsFaults, STS_XMLNS, STS_VERSION } from './sts.js';
export type {
  StsCall,
  StsCredentials,
  StsDropFault,
  StsErrorFault,
  StsErrorType,
  StsFault,
  StsHangFault,
  StsIssuerConfig,
  StsOptions,
  StsRoleConfig,
  StsSession,
  StsStandIn,
  StsTrust,
} from './sts.js';
export { startImds, rotateTokenFile } from './imds.js';
export type { ImdsCall, ImdsOptions, ImdsStandIn, RotatingTokenFile } from './imds.js';
export { JobRunner, parseKeyValueFile } from './runner.js';
export type { Annotation, CommandResult, JobRunnerOptions, StepOptions, StepResult } from './runner.js';
export { startStandIns, parseArgs, DEFAULT_ROLE_ARN } from './start.js';
export type { StandInsConfig, StartedStandIns } from './start.js';
export { decodeJwt, signJwt, verifyRs256 } from './jwt.js';
export type { DecodedJwt, Jwk, Jwks, JwtClaims, JwtHeader } from './jwt.js';
export { signRequest } from './sigv4.js';
export type { SigV4Credentials, SignRequestInput } from './sigv4.js';
export { makeTestCertificates } from './tls.js';
export type { TestCertificates } from './tls.js';
export type { ListenOptions } from './http-util.js';
