/**
 * Every name the action shares with the outside world: inputs, outputs, saved
 * state and environment variables. Nothing else in the code spells them.
 */

export const Inputs = {
  RoleToAssume: 'role-to-assume',
  AwsRegion: 'aws-region',
  Audience: 'audience',
  RoleSessionName: 'role-session-name',
  ExpectedDuration: 'expected-duration',
  SafetyMargin: 'safety-margin',
  RoleDurationSeconds: 'role-duration-seconds',
  Expiration: 'expiration',
  FailOnShortSession: 'fail-on-short-session',
  StsEndpoint: 'sts-endpoint',
  InlineSessionPolicy: 'inline-session-policy',
  ManagedSessionPolicies: 'managed-session-policies',
  MaskAwsAccountId: 'mask-aws-account-id',
  RetryMaxAttempts: 'retry-max-attempts',
  KeepAlive: 'keep-alive',
  ChainedRoleToAssume: 'chained-role-to-assume',
  /** configure-aws-credentials' name: the proxy for every request (http and https); overrides HTTPS_PROXY / HTTP_PROXY. */
  HttpProxy: 'http-proxy',
  /** configure-aws-credentials' name: hosts never proxied; overrides NO_PROXY. */
  NoProxy: 'no-proxy',
  /** With keep-alive on Linux: also serve on ECS's link-local address, 169.254.170.2, for containers (keepalive/link-local). */
  ServeContainers: 'serve-containers',
  // Credential sources, with configure-aws-credentials' names and meaning (see settings/source.ts).
  AwsAccessKeyId: 'aws-access-key-id',
  AwsSecretAccessKey: 'aws-secret-access-key',
  AwsSessionToken: 'aws-session-token',
  WebIdentityTokenFile: 'web-identity-token-file',
  RoleChaining: 'role-chaining',
  UseExistingCredentials: 'use-existing-credentials',
  ForceSkipOidc: 'force-skip-oidc',
  // The rest of configure-aws-credentials' interface (settings/cac-options.ts, settings/session-tags.ts).
  RoleExternalId: 'role-external-id',
  RoleSkipSessionTagging: 'role-skip-session-tagging',
  TransitiveTagKeys: 'transitive-tag-keys',
  CustomTags: 'custom-tags',
  AllowedAccountIds: 'allowed-account-ids',
  OutputCredentials: 'output-credentials',
  OutputEnvCredentials: 'output-env-credentials',
  UnsetCurrentCredentials: 'unset-current-credentials',
  AwsProfile: 'aws-profile',
  OverwriteAwsProfile: 'overwrite-aws-profile',
  SpecialCharactersWorkaround: 'special-characters-workaround',
  DisableRetry: 'disable-retry',
  ActionTimeoutS: 'action-timeout-s',
} as const;
export type InputName = (typeof Inputs)[keyof typeof Inputs];

export const Outputs = {
  Expiration: 'expiration',
  RemainingSeconds: 'remaining-seconds',
  Refreshed: 'refreshed',
  AwsAccountId: 'aws-account-id',
  AuthenticatedArn: 'authenticated-arn',
  MaxSessionDuration: 'max-session-duration',
  CredentialsEndpoint: 'credentials-endpoint',
  // configure-aws-credentials' outputs, set with output-credentials: true.
  AwsAccessKeyId: 'aws-access-key-id',
  AwsSecretAccessKey: 'aws-secret-access-key',
  AwsSessionToken: 'aws-session-token',
  AwsExpiration: 'aws-expiration',
} as const;

/** Names passed from main to post through the runner's saved state. */
export const State = {
  /** The server this action instance launched (ServerIdentity JSON: pid, start time, nonce, folder; no secret). */
  Server: 'server',
  /** The link-local set-up to undo (LinkLocalState JSON: the rule tag, whether the address was added; no secret). */
  LinkLocal: 'link-local',
  /** The profile entries this instance wrote (ProfileRecord JSON: file paths and section names; no secret), for post to remove. */
  Profile: 'profile',
} as const;

export const Env = {
  AccessKeyId: 'AWS_ACCESS_KEY_ID',
  SecretAccessKey: 'AWS_SECRET_ACCESS_KEY',
  SessionToken: 'AWS_SESSION_TOKEN',
  CredentialExpiration: 'AWS_CREDENTIAL_EXPIRATION',
  Region: 'AWS_REGION',
  DefaultRegion: 'AWS_DEFAULT_REGION',
  Profile: 'AWS_PROFILE',
  WebIdentityTokenFile: 'AWS_WEB_IDENTITY_TOKEN_FILE',
  RoleArn: 'AWS_ROLE_ARN',
  ContainerFullUri: 'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  ContainerAuthToken: 'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  /** ECS's form: a path on http://169.254.170.2 (port 80), no header; the path is the secret. Never exported empty (botocore). */
  ContainerRelativeUri: 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  ContainerAuthTokenFile: 'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
  /** Where the SDKs find EC2 instance metadata (IMDSv2), and whether they may. */
  Ec2MetadataEndpoint: 'AWS_EC2_METADATA_SERVICE_ENDPOINT',
  Ec2MetadataEndpointMode: 'AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE',
  Ec2MetadataDisabled: 'AWS_EC2_METADATA_DISABLED',
  /** configure-aws-credentials reads a relative web-identity-token-file under it. */
  GithubWorkspace: 'GITHUB_WORKSPACE',
  SharedCredentialsFile: 'AWS_SHARED_CREDENTIALS_FILE',
  ConfigFile: 'AWS_CONFIG_FILE',
  IdTokenRequestUrl: 'ACTIONS_ID_TOKEN_REQUEST_URL',
  IdTokenRequestToken: 'ACTIONS_ID_TOKEN_REQUEST_TOKEN',
  RunnerTemp: 'RUNNER_TEMP',
  GithubEnv: 'GITHUB_ENV',
  GithubOutput: 'GITHUB_OUTPUT',
  GithubState: 'GITHUB_STATE',
  GithubStepSummary: 'GITHUB_STEP_SUMMARY',
  RunnerTrackingId: 'RUNNER_TRACKING_ID',
  EndpointUrl: 'AWS_ENDPOINT_URL',
  EndpointUrlSts: 'AWS_ENDPOINT_URL_STS',
  /** The SDK's endpoint variants: when set, AssumeRoleWithWebIdentity goes through the SDK, which resolves them (sts/query-endpoint). */
  UseFipsEndpoint: 'AWS_USE_FIPS_ENDPOINT',
  UseDualstackEndpoint: 'AWS_USE_DUALSTACK_ENDPOINT',
  /** Exported with static keys: binds their expiry and the configuration that minted them to those keys (export/marker). */
  SessionMarker: 'AWS_SESSION_GUARD_SESSION',
  /** Role maxima found earlier in the job (lifetime/known-max). */
  RoleMaxSessions: 'AWS_SESSION_GUARD_ROLE_MAX',
  /** The keep-alive folder, exported only when there is no RUNNER_TEMP to find it under. */
  WorkDir: 'AWS_SESSION_GUARD_DIR',
} as const;

/** The proxy variables, as curl and the SDKs read them: the upper-case name first (net/proxy.ts). */
export const ProxyEnvNames = {
  https: ['HTTPS_PROXY', 'https_proxy'],
  http: ['HTTP_PROXY', 'http_proxy'],
  noProxy: ['NO_PROXY', 'no_proxy'],
} as const;

/** The variables that name the run, the step and its trigger (default session tags and session name; settings/session-tags.ts). */
export const GithubRunEnv = {
  Repository: 'GITHUB_REPOSITORY',
  Workflow: 'GITHUB_WORKFLOW',
  Action: 'GITHUB_ACTION',
  Actor: 'GITHUB_ACTOR',
  Sha: 'GITHUB_SHA',
  Ref: 'GITHUB_REF',
  EventName: 'GITHUB_EVENT_NAME',
  BaseRef: 'GITHUB_BASE_REF',
  HeadRef: 'GITHUB_HEAD_REF',
  RunId: 'GITHUB_RUN_ID',
  RunAttempt: 'GITHUB_RUN_ATTEMPT',
  Job: 'GITHUB_JOB',
  TriggeringActor: 'GITHUB_TRIGGERING_ACTOR',
} as const;

/**
 * The environment variables that settings are derived from, besides the
 * inputs. readSettings is given these and no others (settings/step-config.ts),
 * so two steps with the same inputs and the same values here have the same
 * settings.
 */
export const SettingsEnvNames = [
  ...ProxyEnvNames.https,
  ...ProxyEnvNames.http,
  ...ProxyEnvNames.noProxy,
  Env.GithubWorkspace,
  Env.ContainerRelativeUri,
  Env.ContainerFullUri,
  Env.IdTokenRequestToken,
  ...Object.values(GithubRunEnv),
] as const;
export type SettingsEnvName = (typeof SettingsEnvNames)[number];

/**
 * Of those, the one that differs from step to step of a job: it names the
 * step, and only in the default `Action` session tag, which no session's
 * identity includes (settings/identity.ts).
 */
export const PerStepEnvNames: readonly SettingsEnvName[] = [GithubRunEnv.Action];

/** Of those, the secrets that settings use only as set or not set: readSettings never sees their value. */
export const PresenceOnlyEnvNames: readonly SettingsEnvName[] = [Env.IdTokenRequestToken];

/** Bounds that AWS STS itself sets (DurationSeconds 900..43200, default 3600; chained sessions at most 1 h). */
export const Sts = {
  MinDurationSeconds: 900,
  MaxDurationSeconds: 43200,
  DefaultDurationSeconds: 3600,
  ChainedMaxSeconds: 3600,
  DefaultAudience: 'sts.amazonaws.com',
  /** Both STS clients (the Query client and the SDK gateway): no answer within this long is a TimeoutError. */
  RequestTimeoutMs: 15_000,
  /** Both STS clients: no connection within this long is a TimeoutError. */
  ConnectionTimeoutMs: 5_000,
} as const;

/** Name of this action's folder under RUNNER_TEMP. */
export const WorkDirName = 'aws-session-guard';
