/** The keep-alive session timeline for the job summary, from the server's event log. */
import type { ServerEvent } from './events.js';
import { formatDuration } from '../settings/duration.js';
import { hhmmss } from '../report/summary.js';

export function timelineMarkdown(events: readonly ServerEvent[]): string {
  const rows: string[] = [];
  let refreshes = 0;
  let failures = 0;
  let retries = 0;
  let served = 0;
  let refused = 0;
  for (const e of events) {
    const at = hhmmss(new Date(e.t));
    switch (e.type) {
      case 'started':
        rows.push(`| ${at} | server started (pid ${e.pid}) | | |`);
        break;
      case 'refreshed':
        refreshes++;
        served = Math.max(served, e.served);
        rows.push(`| ${at} | ${refreshes === 1 ? 'first session' : 'refreshed'} (${formatDuration(e.sessionSeconds)}) | ${e.expiration} | ${e.latencyMs} ms |`);
        break;
      case 'max-session':
        rows.push(`| ${at} | role maximum found: ${formatDuration(e.maxSeconds)} (${e.refusedSeconds} s refused) | | |`);
        break;
      case 'retry':
        retries++;
        rows.push(`| ${at} | STS retry ${e.attempt} after ${e.code} (waiting ${e.delayMs} ms) | | |`);
        break;
      case 'refresh-failed':
        failures++;
        served = Math.max(served, e.served);
        rows.push(
          `| ${at} | refresh failed${e.permanent ? ' (permanent)' : ''}: ${e.code}; kept serving the old session while valid, next try in ${formatDuration(e.nextTryMs / 1000)} | | |`,
        );
        break;
      case 'expected-until':
        rows.push(`| ${at} | a later step expects work until ${new Date(e.expectedUntil).toISOString()} | | |`);
        break;
      case 'unavailable':
        rows.push(`| ${at} | unavailable: ${e.reason} | | |`);
        break;
      case 'stopped':
        served = Math.max(served, e.served);
        refused = e.refused;
        rows.push(`| ${at} | stopped (${e.reason}) | | |`);
        break;
      case 'crashed':
        rows.push(`| ${at} | **crashed**: ${e.reason} | | |`);
        break;
    }
  }
  return [
    '### aws-session-guard keep-alive timeline',
    '',
    `${refreshes} session(s) minted, ${failures} failed refresh(es), ${retries} STS retr${retries === 1 ? 'y' : 'ies'}, ${served} credential request(s) served, ${refused} refused.`,
    '',
    '| time | event | new expiry | STS latency |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
