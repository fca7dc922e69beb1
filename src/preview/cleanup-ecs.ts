// The ECS side of `preview: cleanup`: the services in the cluster named `<base>-pr-<N>` that carry the tag
// the create path puts on every preview service (`ecr-deploy:preview` = `pr-<N>`). A service with the name
// but not the tag is someone else's and is never listed.
import {
  DescribeServicesCommand,
  ListServicesCommand,
  type ECSClient,
  type Service,
} from '@aws-sdk/client-ecs';
import { describeAwsError } from '../aws/errors.ts';
import { previewNumberOf, type FoundPreview } from './cleanup.ts';
import { previewNames, serviceNameOf } from './names.ts';
import { PREVIEW_TAG } from './types.ts';

/** Pure: the PR of a preview service of `baseService`, or undefined when it is not one of ours. */
export function ecsPreviewOf(baseService: string, service: Service): number | undefined {
  if (service.status !== 'ACTIVE') return undefined;
  const base = serviceNameOf(baseService);
  const pr = previewNumberOf(service.serviceName ?? '', (n) => previewNames(base, 'family', n).service);
  if (pr === undefined) return undefined;
  const tag = service.tags?.find((t) => t.key === PREVIEW_TAG)?.value;
  return tag === previewNames(base, 'family', pr).tag ? pr : undefined;
}

/** Lists the cluster's services (100 a page), describes the candidates 10 at a time with their tags. */
export async function listEcsPreviews(
  ecs: Pick<ECSClient, 'send'>,
  cluster: string,
  baseService: string,
): Promise<FoundPreview[]> {
  const base = serviceNameOf(baseService);
  const candidates: string[] = [];
  let nextToken: string | undefined;
  try {
    do {
      const out = await ecs.send(new ListServicesCommand({ cluster, maxResults: 100, nextToken }));
      for (const arn of out.serviceArns ?? []) {
        const name = serviceNameOf(arn);
        if (previewNumberOf(name, (n) => previewNames(base, 'family', n).service) !== undefined)
          candidates.push(name);
      }
      nextToken = out.nextToken;
    } while (nextToken);
  } catch (error) {
    throw describeAwsError('ListServices', error, {
      permission: 'ecs:ListServices',
      subject: `cluster ${cluster}`,
    });
  }
  const found: FoundPreview[] = [];
  for (let i = 0; i < candidates.length; i += 10) {
    const batch = candidates.slice(i, i + 10);
    let services: Service[];
    try {
      services =
        (await ecs.send(new DescribeServicesCommand({ cluster, services: batch, include: ['TAGS'] })))
          .services ?? [];
    } catch (error) {
      throw describeAwsError('DescribeServices', error, {
        permission: 'ecs:DescribeServices',
        subject: `cluster ${cluster}`,
      });
    }
    for (const s of services) {
      const pr = ecsPreviewOf(base, s);
      if (pr !== undefined) found.push({ pr, what: `service ${s.serviceName ?? ''}` });
    }
  }
  return found.sort((a, b) => a.pr - b.pr);
}
