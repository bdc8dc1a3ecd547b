/** The lifetime inputs: expected-duration, safety-margin, role-duration-seconds and expiration, and how they must agree. */
import { Inputs, Sts } from '../constants.js';
import { formatDuration } from './duration.js';
import { EXPECTED_DURATION, readDurationInput, SAFETY_MARGIN, type DurationInput } from './need.js';
import type { InputReader } from './input-reader.js';

const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/** An ISO 8601 time with a real calendar date (Date.parse turns 2026-02-30 into March 2). */
function parseIsoTime(text: string): number {
  const m = ISO_8601.exec(text);
  if (!m) return NaN;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  if (y === undefined || mo === undefined || d === undefined || h === undefined || mi === undefined) return NaN;
  const daysInMonth = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth || h > 23 || mi > 59 || (s ?? 0) > 59) return NaN;
  return Date.parse(text);
}

export interface LifetimeInputs {
  readonly expectedDurationSeconds?: number;
  readonly safetyMarginSeconds: number;
  readonly roleDurationSeconds?: number;
  readonly expiration?: Date;
}

export function readLifetimeInputs(r: InputReader): LifetimeInputs & { readonly rdsRaw: string } {
  const { getInput, bad } = r;
  const duration = (input: DurationInput): number | undefined => {
    const read = readDurationInput(getInput, input);
    if ('seconds' in read) return read.seconds;
    if ('absent' in read) return undefined;
    const form = 'Use whole numbers with d, h, m, s, largest first, such as 90m, 2h, 1h30m, or whole seconds (5400).';
    const what = {
      form: 'is not a duration',
      short: `must be at least ${formatDuration(input.min)}`,
      long: `is longer than ${formatDuration(input.max)}, more than any job can run`,
    }[read.problem];
    return bad(input.name, read.raw, what, form) ?? input.min;
  };

  const expectedDurationSeconds = duration(EXPECTED_DURATION);
  const safetyMarginSeconds = duration(SAFETY_MARGIN) ?? 0;

  let roleDurationSeconds: number | undefined;
  const rdsRaw = getInput(Inputs.RoleDurationSeconds);
  if (rdsRaw !== '') {
    const n = /^\d+$/.test(rdsRaw) ? Number(rdsRaw) : NaN;
    if (!(n >= Sts.MinDurationSeconds && n <= Sts.MaxDurationSeconds)) {
      bad(
        Inputs.RoleDurationSeconds,
        rdsRaw,
        `must be whole seconds from ${Sts.MinDurationSeconds} to ${Sts.MaxDurationSeconds}`,
        'STS accepts no other session length; leave it out to ask for 1 h (3600 s), or, with expected-duration, for what the work needs.',
      );
    } else {
      roleDurationSeconds = n;
    }
  }

  let expiration: Date | undefined;
  // configure-aws-credentials writes its aws-expiration output as a JSON string, quotes included.
  const expInput = getInput(Inputs.Expiration);
  const quoted = expInput.length >= 2 && expInput.startsWith('"') && expInput.endsWith('"');
  const expRaw = quoted ? expInput.slice(1, -1) : expInput;
  if (expRaw !== '') {
    const t = parseIsoTime(expRaw);
    if (Number.isNaN(t)) {
      bad(Inputs.Expiration, expRaw, 'is not an ISO 8601 time', 'Use e.g. 2026-11-22T15:04:05Z, as the aws-expiration output of configure-aws-credentials gives it.');
    } else {
      expiration = new Date(t);
    }
  }

  return {
    ...(expectedDurationSeconds !== undefined && { expectedDurationSeconds }),
    safetyMarginSeconds,
    ...(roleDurationSeconds !== undefined && { roleDurationSeconds }),
    ...(expiration && { expiration }),
    rdsRaw,
  };
}

/** With expected-duration, an explicit role-duration-seconds must cover the need (keep-alive renews, so it need not). */
export function checkDurationsAgree(r: InputReader, lifetime: LifetimeInputs & { readonly rdsRaw: string }, keepAlive: boolean): void {
  const { bad } = r;
  const { roleDurationSeconds, expectedDurationSeconds, safetyMarginSeconds, rdsRaw } = lifetime;
  if (roleDurationSeconds !== undefined && expectedDurationSeconds !== undefined && !keepAlive) {
    const needSeconds = expectedDurationSeconds + safetyMarginSeconds;
    if (roleDurationSeconds < needSeconds) {
      const fits = roleDurationSeconds - safetyMarginSeconds;
      bad(
        Inputs.RoleDurationSeconds,
        rdsRaw,
        `is shorter than '${Inputs.ExpectedDuration}' (${formatDuration(expectedDurationSeconds)}) + '${Inputs.SafetyMargin}' (${formatDuration(safetyMarginSeconds)}) = ${formatDuration(needSeconds)}: the session would end before the work`,
        `Raise '${Inputs.RoleDurationSeconds}' to at least ${needSeconds}, or leave it out (the step then asks for what the work needs)` +
          (fits > 0 ? `, or set '${Inputs.ExpectedDuration}: ${formatDuration(fits)}' if the work is that short.` : '.'),
      );
    }
  }

}
