import type { AnnotationProperties } from '@actions/core';
import type { Log } from '../../src/deploy/log.ts';

/** A log that keeps every line, for assertions on what a person would read. */
export class RecordingLog implements Log {
  readonly lines: string[] = [];
  info(message: string): void {
    this.lines.push(message);
  }
  /** Warnings given a place to be annotated (file and line), with that place. */
  readonly annotated: { message: string; properties: AnnotationProperties }[] = [];
  warning(message: string, properties?: AnnotationProperties): void {
    this.lines.push(`warning: ${message}`);
    if (properties?.file) this.annotated.push({ message, properties });
  }
  error(message: string): void {
    this.lines.push(`error: ${message}`);
  }
  text(): string {
    return this.lines.join('\n');
  }
}
