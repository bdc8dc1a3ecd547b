/** The environment settings are derived from (constants.ts SettingsEnvNames; settings/step-config.ts settingsEnv). */
import type { SettingsEnvName } from '../constants.js';

export type SettingsEnv = { readonly [K in SettingsEnvName]?: string | undefined };
