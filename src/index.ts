import { runAction } from './runner.ts';

await runAction({
  main: async () => (await import('./main.ts')).main,
  post: async () => (await import('./post.ts')).post,
});
// Done: open keep-alive sockets or watch timers must not hold the step (the exit code is already set).
process.exit();
