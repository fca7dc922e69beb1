// Writes src/action-defaults.ts from action.yml, so the defaults the code falls back on are the ones the
// runner passes: action.yml is their only source. `npm run package` runs it; a unit test checks the file.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

const ROOT = resolve(import.meta.dirname, '..');
export const DEFAULTS_FILE = join(ROOT, 'src', 'action-defaults.ts');

/** The module's text for the inputs of an action.yml. */
export function renderDefaults(actionYml: string): string {
  const action = parse(actionYml) as { inputs: Record<string, { default?: string }> };
  const lines = Object.entries(action.inputs).map(
    ([name, spec]) => `  ${JSON.stringify(name)}: ${JSON.stringify(spec.default ?? '')},`,
  );
  return [
    '// Generated from action.yml by scripts/generate-defaults.ts (npm run package); do not edit.',
    "import type { InputName } from './contract.ts';",
    '',
    "/** Each input's default, as action.yml declares it. */",
    'export const ACTION_DEFAULTS: Readonly<Record<InputName, string>> = {',
    ...lines,
    '};',
    '',
  ].join('\n');
}

if (import.meta.main) {
  writeFileSync(DEFAULTS_FILE, renderDefaults(readFileSync(join(ROOT, 'action.yml'), 'utf8')));
}
