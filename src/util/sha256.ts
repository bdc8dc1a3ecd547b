/** SHA-256, the one helper: hex for what is recorded in files, raw bytes for constant-time comparisons. */
import { createHash } from 'node:crypto';

export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export const sha256Bytes = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();
