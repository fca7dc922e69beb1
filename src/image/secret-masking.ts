// Build-secret values are masked the moment the inputs are read, whatever their length.
import { readFileSync } from 'node:fs';
import type { BuildSecret } from './types.ts';

/**
 * The runner masks any non-empty `add-mask` value, however short (actions/runner's add-mask command skips
 * only empty or whitespace-only values), and each of its lines. Masking a short value hides every occurrence
 * of those characters in the log, which is the price of not showing the secret.
 */
export const SHORT_SECRET_LENGTH = 4;

/** Pure: what to mask for one value: the value, trimmed, and each non-blank line of it, trimmed. */
export function maskableParts(value: string): string[] {
  const parts = [value.trim(), ...value.split(/\r?\n|\r/).map((line) => line.trim())];
  return [...new Set(parts.filter((part) => part !== ''))];
}

/** The value a build secret carries (read now for `env:` and `file:`). */
export function secretValue(secret: BuildSecret, env: NodeJS.ProcessEnv): string {
  const { source } = secret;
  if (source.kind === 'value') return source.value;
  if (source.kind === 'env') return env[source.name] ?? '';
  return readFileSync(source.path, 'utf8');
}

/**
 * Masks every build secret's value and lines with `mask` (core.setSecret); returns the ids of secrets with a
 * part shorter than SHORT_SECRET_LENGTH, which are masked too but are worth a warning.
 */
export function maskBuildSecrets(
  secrets: readonly BuildSecret[],
  env: NodeJS.ProcessEnv,
  mask: (value: string) => void,
): string[] {
  const short: string[] = [];
  for (const secret of secrets) {
    const parts = maskableParts(secretValue(secret, env));
    for (const part of parts) mask(part);
    if (parts.some((part) => part.length < SHORT_SECRET_LENGTH)) short.push(secret.id);
  }
  return short;
}
