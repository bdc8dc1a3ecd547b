export interface Skipped { file: string; count: number; reason: string }
export function skippedIn(rootDir: string, fileResult: { testFilePath: string; testResults?: { status: string; title: string; ancestorTitles: string[] }[]; console?: { type: string; message: string }[] | null }): Skipped | undefined;
export function skippedLine(items: Skipped[]): string | undefined;
export default class SkippedReporter {}
