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
  Builder: 'builder',
  SkipExisting: 'skip-existing',
  Image: 'image',
  BuildSecrets: 'build-secrets',
  Cache: 'cache',
} as const;
export type InputName = (typeof Input)[keyof typeof Input];

export const Output = {
  Registry: 'registry',
  RepositoryUri: 'repository-uri',
  ImageUri: 'image-uri',
  ImageDigest: 'image-digest',
  ImageRef: 'image-ref',
  Tags: 'tags',
  ImageReused: 'image-reused',
} as const;
export type OutputName = (typeof Output)[keyof typeof Output];

export const State = {
  IsPost: 'isPost',
  DockerConfig: 'dockerConfig',
} as const;
