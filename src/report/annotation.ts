// Failures as annotations: an error that knows where in a file it comes from (a task definition, a
// manifest) is annotated on that file and line, so the pull request shows it at the place to fix.
import path from 'node:path';
import * as core from '@actions/core';
import { InputErrors } from '../errors.ts';

/** Where in a file an error points: `file` as found (absolute, or relative to the working directory). */
export interface SourceLocation {
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column?: number;
  /** The annotation's title: what kind of file it is. */
  readonly title: string;
}

type Located = Error & { location?: SourceLocation };

/** Attaches `location` to `error` (kept by whoever rethrows it), and returns it for `throw`. */
export function atLocation<E extends Error>(error: E, location: SourceLocation): E {
  (error as Located).location = location;
  return error;
}

/** The location an error carries, if any. */
export function locationOf(error: unknown): SourceLocation | undefined {
  return error instanceof Error ? (error as Located).location : undefined;
}

/** Pure: 1-based line and column of a character offset in `text`. */
export function linePosition(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, offset)).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

/**
 * Pure: the annotation properties of a location. GitHub places an annotation by the file's path relative
 * to the workspace; a file outside it keeps its absolute path (shown in the log, placed nowhere).
 */
export function annotationProperties(
  location: SourceLocation | undefined,
  workspace: string,
  cwd: string,
): core.AnnotationProperties {
  if (!location) return {};
  const absolute = path.resolve(cwd, location.file);
  const relative = path.relative(path.resolve(workspace), absolute);
  const inside = relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  return {
    title: location.title,
    file: (inside ? relative : absolute).split(path.sep).join('/'),
    startLine: location.line,
    ...(location.column ? { startColumn: location.column } : {}),
  };
}

/**
 * Pure: the `::error` annotations a failed step prints, one per failure (each bad input of InputErrors),
 * in order, each with its file and line when the error knows them.
 */
export function failureAnnotations(
  error: Error,
  where: { readonly workspace: string; readonly cwd: string },
): { readonly message: string; readonly properties: core.AnnotationProperties }[] {
  const failures: readonly Error[] = error instanceof InputErrors ? error.errors : [error];
  return failures.map((f) => ({
    message: f.message,
    properties: annotationProperties(locationOf(f), where.workspace, where.cwd),
  }));
}

/** What `core.setFailed` does, with one annotation per failure, each placed on its file and line when known. */
export function reportFailure(error: Error, env: NodeJS.ProcessEnv = process.env): void {
  const cwd = process.cwd();
  for (const { message, properties } of failureAnnotations(error, {
    workspace: env.GITHUB_WORKSPACE ?? cwd,
    cwd,
  })) {
    core.error(message, properties);
  }
  process.exitCode = core.ExitCode.Failure;
}
