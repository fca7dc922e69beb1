import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { releaseNotes } from '../scripts/release-notes.ts';

const CHANGELOG = [
  '# Changelog',
  '',
  '## Unreleased',
  '',
  '- next',
  '',
  '## 1.2.0',
  '',
  '### Added',
  '- tag control',
  '',
  '## 1.1.10',
  '',
  '- a fix',
  '',
  '## [1.0.0] - 2026-11-01',
  '- first',
  '',
].join('\n');

describe('releaseNotes', () => {
  it.each([
    ['1.2.0', '### Added\n- tag control'],
    ['1.1.10', '- a fix'],
    ['1.0.0', '- first'],
  ])('%s → its section only', (version, notes) => {
    expect(releaseNotes(CHANGELOG, version)).toBe(notes);
  });

  it('does not take 1.1.1 for 1.1.10, and says what to do when the section is missing', () => {
    expect(() => releaseNotes(CHANGELOG, '1.1.1')).toThrow(
      'CHANGELOG.md has no "## 1.1.1" section: add one (move "Unreleased" there) before tagging.',
    );
  });

  it('refuses an empty section', () => {
    expect(() => releaseNotes('## 2.0.0\n\n## 1.0.0\n- x\n', '2.0.0')).toThrow(
      /section of CHANGELOG.md is empty/,
    );
  });

  it("finds the repository's own CHANGELOG sections", () => {
    const ours = readFileSync(new URL('../CHANGELOG.md', import.meta.url), 'utf8');
    const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(releaseNotes(ours, version)).toMatch(/\S/);
  });
});

describe('the release workflow', () => {
  const workflow = parse(
    readFileSync(new URL('../.github/workflows/release.yml', import.meta.url), 'utf8'),
  ) as {
    on: { push: { tags: string[] } };
    permissions: Record<string, string>;
    jobs: { release: { steps: { run?: string; uses?: string }[] } };
  };
  const runs = workflow.jobs.release.steps.map((s) => s.run ?? '').join('\n');

  it('runs on version tags only, with write access to contents', () => {
    expect(workflow.on.push.tags).toEqual(['v[0-9]+.[0-9]+.[0-9]+']);
    expect(workflow.permissions).toEqual({ contents: 'write' });
  });

  it('checks dist/ and the version before it publishes, and moves vX and vX.Y last', () => {
    const at = (text: string) => runs.indexOf(text);
    expect(at('npm run package')).toBeGreaterThan(-1);
    expect(at('npm run package')).toBeLessThan(at('gh release create'));
    expect(at('package.json says')).toBeLessThan(at('gh release create'));
    expect(at('scripts/release-notes.ts')).toBeLessThan(at('gh release create'));
    expect(at('gh release create')).toBeLessThan(at('git push -f origin'));
  });
});
