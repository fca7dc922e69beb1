import { runAction } from './runner.ts';

// The exit code is set by runAction (setFailed); the process ends when nothing is left to do. No
// process.exit(): a runner that loads this module (GitHub's local-action) goes on to the post step after it.
// (Only a cancelled step ends the process itself, once its output is flushed: see runner.ts.)
await runAction({
  main: async () => (await import('./main.ts')).main,
  post: async () => (await import('./post.ts')).post,
});
