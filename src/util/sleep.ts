/** Waits `ms` milliseconds: the real clock's sleep, which tests replace through their deps. */
export const sleep = (ms: number): Promise<void> => new Promise<void>((resolve) => setTimeout(resolve, ms));
