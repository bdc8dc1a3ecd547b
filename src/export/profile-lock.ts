/** The lock every aws-profile write and removal takes on a shared AWS file, with this process's real collaborators. */
import { hostname } from 'node:os';
import { processState, realProcessControl, type ProcessControl } from '../util/process-identity.js';
import type { LockDeps } from '../util/file-lock.js';

const sleepSync = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

export function realLockDeps(control: ProcessControl = realProcessControl): LockDeps {
  const start = control.startOf(process.pid);
  return {
    self: { host: hostname(), pid: process.pid, ...(start !== undefined && { start }) },
    // 'unverifiable' (no start time on this OS) counts as alive: such a lock is waited for, never broken.
    holderAlive: (holder) => {
      const state = processState(holder, control);
      return state === 'running' || state === 'unverifiable';
    },
    now: () => performance.now(),
    sleep: sleepSync,
  };
}
