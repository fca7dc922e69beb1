import type { Log } from '../../src/deploy/log.ts';

/** A log that keeps every line, for assertions on what a person would read. */
export class RecordingLog implements Log {
  readonly lines: string[] = [];
  info(message: string): void {
    this.lines.push(message);
  }
  warning(message: string): void {
    this.lines.push(`warning: ${message}`);
  }
  error(message: string): void {
    this.lines.push(`error: ${message}`);
  }
  text(): string {
    return this.lines.join('\n');
  }
}
