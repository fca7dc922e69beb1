import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Input } from '../src/contract.ts';

const action = parse(readFileSync(new URL('../action.yml', import.meta.url), 'utf8')) as {
  inputs: Record<string, { description?: string; default?: string; required?: boolean }>;
  runs: { using: string; main: string; post?: string };
};

describe('action.yml', () => {
  it('has a description the Marketplace shows whole (at most 125 characters)', () => {
    const { description } = parse(readFileSync(new URL('../action.yml', import.meta.url), 'utf8')) as {
      description: string;
    };
    expect(description.length).toBeGreaterThan(20);
    expect(description.length).toBeLessThanOrEqual(125);
  });
  it('declares exactly the inputs the code reads', () => {
    expect(Object.keys(action.inputs).sort()).toEqual(Object.values(Input).sort());
  });
  it('describes every input and gives optional ones a default', () => {
    for (const [name, spec] of Object.entries(action.inputs)) {
      expect(spec.description, name).toBeTruthy();
      if (!spec.required) expect(typeof spec.default, name).toBe('string');
    }
  });
  it('runs the bundle on node24 for main and post', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js', post: 'dist/index.js' });
  });
});

describe('src/action-defaults.ts', () => {
  it('is what scripts/generate-defaults.ts makes of action.yml (run npm run package after changing it)', async () => {
    const { DEFAULTS_FILE, renderDefaults } = await import('../scripts/generate-defaults.ts');
    const actionYml = readFileSync(new URL('../action.yml', import.meta.url), 'utf8');
    expect(readFileSync(DEFAULTS_FILE, 'utf8')).toBe(renderDefaults(actionYml));
  });
});
