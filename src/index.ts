import { runAction } from './runner.ts';

await runAction({
  main: async () => (await import('./main.ts')).main,
  post: async () => (await import('./post.ts')).post,
});
