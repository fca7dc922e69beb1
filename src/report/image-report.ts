import { Output, type ImageOutputName } from '../contract.ts';

/** How the step came by the image. */
export type ImageOrigin = 'built' | 'reused' | 'given';

export interface ImageReport {
  /** Registry host, from ECR's answer (or the given reference's host for a non-ECR image). */
  readonly registry: string;
  /** `<registry>/<repository>` */
  readonly repositoryUri: string;
  /** Set for an ECR image: used for the console link. */
  readonly ecr:
    { readonly registryId: string; readonly repositoryName: string; readonly region: string } | undefined;
  readonly digest: string;
  readonly tags: readonly string[];
  readonly primary: string | undefined;
  readonly skipped: readonly { readonly tag: string; readonly reason: string }[];
  /** Floating tags not moved to this image because the deploy did not complete. */
  readonly held: readonly string[];
  /** The labels the image was built with (read back from a reused image); none for a given image. */
  readonly labels?: Readonly<Record<string, string>>;
  readonly sizeBytes: number | undefined;
  readonly origin: ImageOrigin;
  /** The builder, when one ran. */
  readonly builder: string | undefined;
}

/** Pure: the step's outputs. */
export function imageOutputs(report: ImageReport): Record<ImageOutputName, string> {
  const ref = `${report.repositoryUri}@${report.digest}`;
  return {
    [Output.Registry]: report.registry,
    [Output.RepositoryUri]: report.repositoryUri,
    [Output.ImageUri]: report.primary ? `${report.repositoryUri}:${report.primary}` : ref,
    [Output.ImageDigest]: report.digest,
    [Output.ImageRef]: ref,
    [Output.Tags]: report.tags.join('\n'),
    [Output.TagRefs]: report.tags.map((t) => `${report.repositoryUri}:${t}`).join('\n'),
    // docker/metadata-action's shape, so workflows written for it read it the same way.
    [Output.Json]: JSON.stringify({
      tags: report.tags.map((t) => `${report.repositoryUri}:${t}`),
      labels: report.labels ?? {},
    }),
    [Output.ImageReused]: String(report.origin !== 'built'),
  };
}

export function consoleLink(report: ImageReport): string | undefined {
  if (!report.ecr) return undefined;
  const { region, registryId, repositoryName } = report.ecr;
  return `https://${region}.console.aws.amazon.com/ecr/repositories/private/${registryId}/${repositoryName}/_/image/${report.digest}/details?region=${region}`;
}

function formatSize(bytes: number | undefined): string {
  if (bytes === undefined) return 'unknown';
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MiB`
    : `${(bytes / 1024).toFixed(1)} KiB`;
}

const ORIGIN: Record<ImageOrigin, string> = {
  built: 'built and pushed by this step',
  reused: 'reused: already built for this commit from the same inputs',
  given: 'given (image input)',
};

/** Pure: the job summary section for the image, as Markdown. */
export function imageSummary(report: ImageReport): string {
  const link = consoleLink(report);
  const rows = [
    `| Image | \`${report.repositoryUri}@${report.digest}\` |`,
    `| Tags | ${report.tags.map((t) => (t === report.primary ? `**${t}**` : t)).join(', ') || '(none)'} |`,
    `| Digest | \`${report.digest}\` |`,
    `| Size (compressed) | ${formatSize(report.sizeBytes)} |`,
    `| Origin | ${ORIGIN[report.origin]}${report.builder ? ` (${report.builder})` : ''} |`,
    ...(link ? [`| Console | [${report.ecr?.repositoryName} in ECR](${link}) |`] : []),
  ];
  const skipped = report.skipped.map((s) => `- \`${s.tag}\` not set: ${s.reason}`);
  const held = report.held.map(
    (t) => `- \`${t}\` not moved: the deploy did not complete, so it stays on the image it was on`,
  );
  return ['### Image', '', '| | |', '| --- | --- |', ...rows, '', ...skipped, ...held, ''].join('\n');
}
