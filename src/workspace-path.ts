// Paths the workflow names (Dockerfile, build context) must stay inside the checked-out workspace, symlinks
// resolved: a fork's `Dockerfile -> /proc/self/environ` would otherwise have the builder read, and quote back
// in its parse error, the job's environment with its secrets.
import { realpathSync } from 'node:fs';
import path from 'node:path';

/** Pure: whether `child` is `parent` or lies below it (both absolute and normalised). */
export function isWithin(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return (
    relative === '' ||
    (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative))
  );
}

export type WorkspacePath =
  | { readonly kind: 'inside'; readonly real: string }
  | { readonly kind: 'outside'; readonly real: string }
  | { readonly kind: 'missing' };

/** Where `target` really is (every symlink resolved), and whether that is inside the workspace's real path. */
export function locateInWorkspace(target: string, workspace: string): WorkspacePath {
  let real: string;
  try {
    real = realpathSync.native(target);
  } catch {
    return { kind: 'missing' };
  }
  let root: string;
  try {
    root = realpathSync.native(workspace);
  } catch {
    root = path.resolve(workspace);
  }
  return { kind: isWithin(real, root) ? 'inside' : 'outside', real };
}
