// What a preview environment is made of, as the inputs describe it. Types only.

export interface PreviewInputs {
  /** `preview-url` with `{number}` still in it; undefined: no URL. */
  readonly urlTemplate: string | undefined;
  /** `preview-listener`: an ELBv2 listener ARN; undefined: no load balancer pieces. */
  readonly listenerArn: string | undefined;
  readonly desiredCount: number;
  readonly allowForks: boolean;
  /** For the PR comment and the GitHub deployment; undefined: neither is made. */
  readonly githubToken: string | undefined;
  /** `preview: cleanup`: find the previews whose PR is closed and tear them down (no event needed). */
  readonly cleanup?: boolean;
}

/** The names of every piece of one PR's preview, derived from the base and the PR number only. */
export interface PreviewNames {
  readonly pr: number;
  readonly service: string;
  readonly family: string;
  readonly targetGroup: string;
  /** Tag value on everything the preview creates (`ecr-deploy:preview`). */
  readonly tag: string;
}

/** Tag key on every resource a preview creates, so it can be found again. */
export const PREVIEW_TAG = 'ecr-deploy:preview';
