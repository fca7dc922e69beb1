import type { ECRClient } from '@aws-sdk/client-ecr';
import { describe, expect, it } from 'vitest';
import { deletePreviewTag } from '../../src/preview/ecr-tag.ts';
import { sdkError } from './fake-aws.ts';

type Answer = Record<string, unknown> | Error;

/** An ECR that answers BatchDeleteImage with `answer` and records what it was asked. */
function fakeEcr(answer: Answer) {
  const inputs: Record<string, unknown>[] = [];
  const ecr = {
    send: async (command: { input: Record<string, unknown> }) => {
      inputs.push(command.input);
      if (answer instanceof Error) throw answer;
      return answer;
    },
  } as unknown as Pick<ECRClient, 'send'>;
  return { ecr, inputs };
}

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('deletePreviewTag', () => {
  it('asks ECR to delete the pr-<N> tag only, never the digest', async () => {
    const { ecr, inputs } = fakeEcr({ imageIds: [{ imageDigest: DIGEST, imageTag: 'pr-7' }], failures: [] });
    const out = await deletePreviewTag({ ecr, repository: 'app', registryId: '123456789012', pr: 7 });
    expect(out).toEqual({ kind: 'removed', line: 'image tag app:pr-7: removed' });
    expect(inputs).toEqual([
      { repositoryName: 'app', registryId: '123456789012', imageIds: [{ imageTag: 'pr-7' }] },
    ]);
  });

  it.each<[string, Answer, string, RegExp]>([
    [
      'tag not there',
      { imageIds: [], failures: [{ imageId: { imageTag: 'pr-7' }, failureCode: 'ImageNotFound' }] },
      'gone',
      /app:pr-7: already gone$/,
    ],
    [
      'repository not there',
      sdkError('RepositoryNotFoundException'),
      'gone',
      /already gone \(no repository app\)/,
    ],
    [
      'permission missing',
      sdkError('AccessDeniedException', 'not authorized to perform: ecr:BatchDeleteImage'),
      'not-removed',
      /NOT removed — AccessDeniedException/,
    ],
    [
      'another failure',
      {
        imageIds: [],
        failures: [{ imageId: { imageTag: 'pr-7' }, failureCode: 'KmsError', failureReason: 'kms' }],
      },
      'not-removed',
      /NOT removed — KmsError: kms/,
    ],
  ])('%s → %s', async (_, answer, kind, line) => {
    const { ecr } = fakeEcr(answer);
    const out = await deletePreviewTag({ ecr, repository: 'app', registryId: undefined, pr: 7 });
    expect(out.kind).toBe(kind);
    expect(out.line).toMatch(line);
  });

  it('names ecr:BatchDeleteImage in the warning when the role may not delete', async () => {
    const { ecr } = fakeEcr(sdkError('AccessDeniedException', 'denied'));
    const out = await deletePreviewTag({ ecr, repository: 'app', registryId: undefined, pr: 7 });
    expect(out.kind === 'not-removed' && out.warning).toMatch(
      /Allow ecr:BatchDeleteImage on the repository app/,
    );
  });

  it('in a dry run, calls nothing', async () => {
    const { ecr, inputs } = fakeEcr(new Error('must not be called'));
    const out = await deletePreviewTag({
      ecr,
      repository: 'app',
      registryId: undefined,
      pr: 7,
      dryRun: true,
    });
    expect(out).toEqual({ kind: 'would-remove', line: 'dry run — would remove image tag app:pr-7' });
    expect(inputs).toEqual([]);
  });
});
