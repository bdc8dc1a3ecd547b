/** The job summary: one line per guard run, and the keep-alive timeline. */
import { formatDuration } from '../settings/duration.js';

export interface SummaryLine {
  readonly at: Date;
  readonly remainingSeconds?: number | undefined;
  /** expected-duration + safety-margin; undefined when no need is stated. */
  readonly needSeconds?: number | undefined;
  readonly outcome: string;
}

const hhmmss = (d: Date) => d.toISOString().slice(11, 19) + 'Z';

export function summaryLine(line: SummaryLine): string {
  const remaining = line.remainingSeconds === undefined ? 'unknown' : formatDuration(line.remainingSeconds);
  return `- **aws-session-guard** ${hhmmss(line.at)}: remaining ${remaining}, need ${line.needSeconds === undefined ? 'not stated' : formatDuration(line.needSeconds)}. ${line.outcome}\n`;
}

export { hhmmss };
