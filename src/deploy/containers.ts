// Which containers of a task definition or pod template get the new image: one rule for both targets.
import { imageRepository } from '../image/reference.ts';
import type { ContainerSelection } from './types.ts';

/** A selection that cannot be applied to this task definition or Deployment; the message says how to fix it. */
export class ContainerSelectionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContainerSelectionError';
  }
}

export interface SelectContainersOptions {
  /** What holds the containers, for messages: `task definition web`, `Deployment web`. */
  readonly owner: string;
  /** `repo@sha256:…`: what the selected containers run unless the selection names an image. */
  readonly imageRef: string;
  /** Without a `containers` input, the containers whose image is in this repository are selected. */
  readonly repositoryUri: string;
  readonly selection: readonly ContainerSelection[];
}

/**
 * Pure: container name → the image it gets. Named containers must exist (the message lists those that do);
 * without names, at least one container must use the repository.
 */
export function selectContainers(
  containers: readonly { readonly name: string; readonly image?: string | undefined }[],
  options: SelectContainersOptions,
): Map<string, string> {
  const names = containers.map((c) => c.name);
  for (const s of options.selection) {
    if (!names.includes(s.name)) {
      throw new ContainerSelectionError(
        `${options.owner.charAt(0).toUpperCase()}${options.owner.slice(1)} has no container "${s.name}"; its containers are: ${names.join(', ')}. Fix the containers input.`,
      );
    }
  }
  const selected = new Map<string, string>(
    options.selection.length > 0
      ? options.selection.map((s) => [s.name, s.image ?? options.imageRef])
      : containers
          .filter((c) => typeof c.image === 'string' && imageRepository(c.image) === options.repositoryUri)
          .map((c) => [c.name, options.imageRef]),
  );
  if (selected.size === 0) {
    throw new ContainerSelectionError(
      `No container of ${options.owner} uses ${options.repositoryUri}: ${containers.map((c) => `${c.name} (${c.image ?? 'no image'})`).join(', ')}. Set containers to the names that should run the new image.`,
    );
  }
  return selected;
}
