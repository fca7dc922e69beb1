// Pure: names and URLs of a PR's preview. Deterministic: the same base and PR number give the same names
// on every run, so re-runs and the teardown find what an earlier run made.
import { createHash } from 'node:crypto';
import type { PreviewNames } from './types.ts';

/** ECS service and task definition family names: 255 characters. */
export const ECS_NAME_MAX = 255;
/** ELBv2 target group names: 32 characters, letters, digits and hyphens, no hyphen at either end. */
export const TARGET_GROUP_NAME_MAX = 32;

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 6);
}

/**
 * Pure: `<base><suffix>`, fitted into `max` characters. A base that does not fit is cut and a hash of the
 * whole base is put before the suffix, so two long bases that share their start still get different names.
 */
export function fitName(base: string, suffix: string, max: number): string {
  const whole = `${base}${suffix}`;
  if (whole.length <= max) return whole;
  const hash = shortHash(base);
  const room = max - suffix.length - hash.length - 1;
  if (room < 1) throw new Error(`"${suffix}" leaves no room for a name of at most ${max} characters`);
  return `${base.slice(0, room).replace(/[-_]+$/, '')}-${hash}${suffix}`;
}

/** Pure: the last segment of a service ARN, or the name as given. */
export function serviceNameOf(ref: string): string {
  return ref.split('/').at(-1) ?? ref;
}

/** Pure: the family of a task definition ARN (`…:task-definition/web:7` → `web`). */
export function familyOfArn(arn: string): string {
  return (arn.split('/').at(-1) ?? arn).replace(/:\d+$/, '');
}

/** Pure: every name of PR `pr`'s preview of `baseService` (name or ARN) running family `baseFamily`. */
export function previewNames(baseService: string, baseFamily: string, pr: number): PreviewNames {
  const suffix = `-pr-${pr}`;
  const base = serviceNameOf(baseService);
  const tgBase = base.replace(/[^A-Za-z0-9-]/g, '-').replace(/^-+/, '') || 'preview';
  return {
    pr,
    service: fitName(base, suffix, ECS_NAME_MAX),
    family: fitName(baseFamily, suffix, ECS_NAME_MAX),
    targetGroup: fitName(tgBase.replace(/-+$/, ''), suffix, TARGET_GROUP_NAME_MAX),
    tag: `pr-${pr}`,
  };
}

export class PreviewUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PreviewUrlError';
  }
}

/** Pure: the preview's URL (`{number}` replaced) and the host the listener rule matches. */
export function renderPreviewUrl(
  template: string,
  pr: number,
): { readonly url: string; readonly host: string } {
  const url = template.replaceAll('{number}', String(pr));
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new PreviewUrlError(
      `"${template}" is not a URL. Write e.g. https://pr-{number}.preview.example.com`,
    );
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new PreviewUrlError(`"${template}" is not an http(s) URL.`);
  }
  if (/[{}]/.test(parsed.hostname) || /[{}]/.test(url)) {
    throw new PreviewUrlError(`"${template}" has a placeholder other than {number}.`);
  }
  // A host-header condition value: up to 128 characters (ELBv2 API reference, HostHeaderConditionConfig).
  if (parsed.hostname.length > 128) {
    throw new PreviewUrlError(`the host of "${url}" is longer than a listener rule allows (128 characters).`);
  }
  return { url, host: parsed.hostname };
}
