// Every name the action shares with a workflow file lives here: inputs, outputs, saved state.

export const Input = {
  Repository: 'repository',
  Registry: 'registry',
  AwsRegion: 'aws-region',
  CreateRepository: 'create-repository',
  TagMutability: 'tag-mutability',
  Context: 'context',
  Dockerfile: 'dockerfile',
  BuildArgs: 'build-args',
  Target: 'target',
  Platforms: 'platforms',
  Labels: 'labels',
  Tags: 'tags',
  Provenance: 'provenance',
} as const;
export type InputName = (typeof Input)[keyof typeof Input];

export const Output = {} as const;
export type OutputName = (typeof Output)[keyof typeof Output];

export const State = {
  IsPost: 'isPost',
} as const;
