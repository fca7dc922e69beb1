// Prints the CHANGELOG.md section of a version, for the release workflow's notes:
//   node scripts/release-notes.ts 1.2.3
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Pure: the body of the `## <version>` section (up to the next `## `), trimmed; throws when there is none. */
export function releaseNotes(changelog: string, version: string): string {
  const lines = changelog.split('\n');
  const start = lines.findIndex((l) =>
    new RegExp(`^## \\[?v?${version.replaceAll('.', '\\.')}\\]?(\\s|$)`).test(l),
  );
  if (start < 0) {
    throw new Error(
      `CHANGELOG.md has no "## ${version}" section: add one (move "Unreleased" there) before tagging.`,
    );
  }
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((l) => l.startsWith('## '));
  const body = (end < 0 ? rest : rest.slice(0, end)).join('\n').trim();
  if (!body) throw new Error(`The "## ${version}" section of CHANGELOG.md is empty.`);
  return body;
}

if (import.meta.main) {
  const version = process.argv[2]?.replace(/^v/, '');
  if (!version) {
    console.error('usage: node scripts/release-notes.ts <version>');
    process.exit(2);
  }
  const root = resolve(import.meta.dirname, '..');
  try {
    console.log(releaseNotes(readFileSync(join(root, 'CHANGELOG.md'), 'utf8'), version));
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
