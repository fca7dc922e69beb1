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
  TagRules: 'tag-rules',
  Provenance: 'provenance',
  Builder: 'builder',
  SkipExisting: 'skip-existing',
  Image: 'image',
  BuildSecrets: 'build-secrets',
  Cache: 'cache',
  AllowUntrustedBuild: 'allow-untrusted-build',
  EcsCluster: 'ecs-cluster',
  EcsService: 'ecs-service',
  TaskDefinition: 'task-definition',
  Containers: 'containers',
  Environment: 'environment',
  Secrets: 'secrets',
  DockerLabels: 'docker-labels',
  LogConfigurationLogDriver: 'log-configuration-log-driver',
  LogConfigurationOptions: 'log-configuration-options',
  Command: 'command',
  ForceNewDeployment: 'force-new-deployment',
  DesiredCount: 'desired-count',
  AutoScaling: 'auto-scaling',
  PreDeployCommand: 'pre-deploy-command',
  Wait: 'wait',
  Timeout: 'timeout',
  FailFastAfter: 'fail-fast-after',
  RollbackOnFailure: 'rollback-on-failure',
  RollbackOnCancel: 'rollback-on-cancel',
  DryRun: 'dry-run',
  EksCluster: 'eks-cluster',
  Namespace: 'namespace',
  Deployment: 'deployment',
  RoleToAssume: 'role-to-assume',
  RoleSessionName: 'role-session-name',
  RoleDuration: 'role-duration',
  Preview: 'preview',
  PreviewUrl: 'preview-url',
  PreviewListener: 'preview-listener',
  PreviewDesiredCount: 'preview-desired-count',
  AllowForkPreviews: 'allow-fork-previews',
  GithubToken: 'github-token',
  Manifests: 'manifests',
  ForceConflicts: 'force-conflicts',
  Prune: 'prune',
  Alarms: 'alarms',
  BakeTime: 'bake-time',
} as const;
export type InputName = (typeof Input)[keyof typeof Input];

export const Output = {
  Registry: 'registry',
  RepositoryUri: 'repository-uri',
  ImageUri: 'image-uri',
  ImageDigest: 'image-digest',
  ImageRef: 'image-ref',
  Tags: 'tags',
  TagRefs: 'tag-refs',
  Json: 'json',
  ImageReused: 'image-reused',
  TaskDefinitionArn: 'task-definition-arn',
  PreviousTaskDefinitionArn: 'previous-task-definition-arn',
  DeploymentId: 'deployment-id',
  RolloutStatus: 'rollout-status',
  RolledBack: 'rolled-back',
  Results: 'results',
  Revision: 'revision',
  PreviousRevision: 'previous-revision',
  PreviewUrl: 'preview-url',
} as const;
export type OutputName = (typeof Output)[keyof typeof Output];

/** The outputs every run that has an image sets. */
export type ImageOutputName =
  | typeof Output.Registry
  | typeof Output.RepositoryUri
  | typeof Output.ImageUri
  | typeof Output.ImageDigest
  | typeof Output.ImageRef
  | typeof Output.Tags
  | typeof Output.TagRefs
  | typeof Output.Json
  | typeof Output.ImageReused;

export const State = {
  IsPost: 'isPost',
  DockerConfig: 'dockerConfig',
} as const;
