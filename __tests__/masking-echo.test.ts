import { describe, expect, it } from 'vitest';
import { createMaskingEcho, parseFileCommand } from '../sandbox/run-action.ts';

describe('the runner emulation used by the demo', () => {
  it('consumes ::add-mask:: and prints masked values as ***, across chunk boundaries', () => {
    let out = '';
    const echo = createMaskingEcho((t) => (out += t));
    echo('::add-mask::s3cr');
    echo('et\nlogin with s3cret ok\npartial s3c');
    echo('ret\n');
    expect(out).toBe('login with *** ok\npartial ***\n');
  });

  it('parses the runner file-command format (heredoc and plain lines)', () => {
    expect(parseFileCommand('a<<ghadelimiter_1\nline 1\nline 2\nghadelimiter_1\nb=2\n')).toEqual({
      a: 'line 1\nline 2',
      b: '2',
    });
  });
});
