import type { ImageTagMutabilityExclusionFilter } from '@aws-sdk/client-ecr';
import { isTagImmutable } from '../registry/tag-mutability.ts';
import type { PlannedTag, TagPlan } from './tags.ts';

export interface RepositoryTagRules {
  readonly tagMutability: string;
  readonly exclusionFilters: readonly ImageTagMutabilityExclusionFilter[];
}

export interface TagDecision {
  /** Tags to put on the image, primary first; always holds the commit tag. */
  readonly apply: readonly PlannedTag[];
  readonly primary: string;
  /** Automatic floating tags the repository's immutability rules leave out, with the reason. */
  readonly skipped: readonly { readonly tag: string; readonly reason: string }[];
  /** Tags ECR will refuse to move: each must be new, or already on our digest. */
  readonly immutable: readonly string[];
}

/**
 * Pure: which planned tags the repository lets us apply. In an immutable repository an automatic floating
 * tag (`latest`, `1`, `1.2`, branch, `pr-N`) would fail on its second use, so it is skipped with a notice —
 * unless an exclusion filter keeps it mutable. Explicit tags are never skipped.
 */
export function decideTags(plan: TagPlan, rules: RepositoryTagRules): TagDecision {
  const apply: PlannedTag[] = [];
  const skipped: { tag: string; reason: string }[] = [];
  const immutable: string[] = [];
  for (const tag of plan.tags) {
    const fixed = isTagImmutable(tag.name, rules.tagMutability, rules.exclusionFilters);
    if (fixed && tag.floating && tag.source !== 'explicit') {
      skipped.push({
        tag: tag.name,
        reason: `the repository's tags are immutable (${rules.tagMutability}) and "${tag.name}" moves from image to image; add an exclusion filter for it to have it set`,
      });
      continue;
    }
    if (fixed) immutable.push(tag.name);
    apply.push(tag);
  }
  const primary = apply.some((t) => t.name === plan.primary)
    ? plan.primary
    : (apply[0]?.name ?? plan.commitTag);
  return { apply, primary, skipped, immutable };
}
