/**
 * A path with CR or LF is refused where it is an input (web-identity-token-file,
 * AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE for aws-profile): no real
 * path needs one, and printed raw it would end a log line and start a workflow
 * command of its own. (Every logged text is escaped too: runner/toolkit.ts.)
 */
export const hasLineBreak = (path: string): boolean => path.includes('\n') || path.includes('\r');
