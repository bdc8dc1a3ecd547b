export type BundleMap = Record<string, Record<string, { sources: string[]; modules?: string[] }>>;
export interface Allow { duplicatedModules?: Record<string, string>; sharedChunks?: Record<string, string> }
export function check(map: BundleMap, allow: Allow): { problems: string[]; reasons: Required<Allow> };
export function moduleKey(name: string): string;
export const STATS_OPTIONS: Record<string, unknown>;
