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

describe("the README's tables", () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  /** The backticked names in the first column of the table under `heading`, with the row's second cell. */
  const table = (heading: string) => {
    const from = readme.indexOf(`${heading}\n`);
    expect(from, heading).toBeGreaterThan(-1);
    const rows = new Map<string, string>();
    for (const line of readme.slice(from + heading.length + 1).split('\n')) {
      if (line.startsWith('#')) break;
      if (!line.startsWith('| `')) continue;
      const [names = '', second = ''] = line
        .split('|')
        .slice(1)
        .map((cell) => cell.trim());
      for (const [, name] of names.matchAll(/`([a-z-]+)`/g)) rows.set(name!, second);
    }
    return rows;
  };

  it('list every input of action.yml, and no other, with its default', () => {
    const rows = table('### Inputs');
    expect([...rows.keys()].sort()).toEqual(Object.keys(action.inputs).sort());
    for (const [name, spec] of Object.entries(action.inputs)) {
      if (spec.default) expect(rows.get(name), name).toContain(`\`${spec.default}\``);
      if (!spec.required) expect(rows.get(name), name).not.toMatch(/required/);
    }
  });

  it('list every output of action.yml, and no other', () => {
    const outputs = parse(readFileSync(new URL('../action.yml', import.meta.url), 'utf8')) as {
      outputs: Record<string, unknown>;
    };
    expect([...table('### Outputs').keys()].sort()).toEqual(Object.keys(outputs.outputs).sort());
  });
});
