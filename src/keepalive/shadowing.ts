/**
 * Shared AWS files come before the container provider in the SDKs' default
 * chains: credentials there would shadow the keep-alive server.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Env } from '../constants.js';

const CREDENTIAL_KEYS = /^[ \t]*(aws_access_key_id|aws_session_token|credential_process|role_arn|web_identity_token_file|sso_start_url|sso_session)[ \t]*=/im;

function defaultSection(text: string, header: RegExp): string | undefined {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => header.test(l.trim()));
  if (start < 0) return undefined;
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((l) => /^\s*\[/.test(l));
  return (end < 0 ? rest : rest.slice(0, end)).join('\n');
}

/** Files whose default profile would be used before the server. */
export function shadowingFiles(env: Readonly<Record<string, string | undefined>>, home = homedir()): string[] {
  const candidates: Array<[string, RegExp]> = [
    [env[Env.SharedCredentialsFile] || join(home, '.aws', 'credentials'), /^\[\s*default\s*\]$/],
    [env[Env.ConfigFile] || join(home, '.aws', 'config'), /^\[\s*(default|profile\s+default)\s*\]$/],
  ];
  const found: string[] = [];
  for (const [file, header] of candidates) {
    if (!existsSync(file)) continue;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const section = defaultSection(text, header);
    if (section !== undefined && CREDENTIAL_KEYS.test(section)) found.push(file);
  }
  return found;
}
