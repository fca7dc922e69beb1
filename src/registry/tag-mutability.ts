import type { ImageTagMutabilityExclusionFilter } from '@aws-sdk/client-ecr';

function wildcardMatches(filter: string, tag: string): boolean {
  const pattern = filter.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${pattern.join('.*')}$`).test(tag);
}

/**
 * Whether ECR refuses to move this tag once it exists. With the `*_WITH_EXCLUSION` settings the exclusion
 * filters (wildcards) flip the repository's rule for the tags they match.
 */
export function isTagImmutable(
  tag: string,
  mutability: string,
  filters: readonly ImageTagMutabilityExclusionFilter[],
): boolean {
  const excluded = () => filters.some((f) => f.filter !== undefined && wildcardMatches(f.filter, tag));
  switch (mutability) {
    case 'IMMUTABLE':
      return true;
    case 'IMMUTABLE_WITH_EXCLUSION':
      return !excluded();
    case 'MUTABLE_WITH_EXCLUSION':
      return excluded();
    default:
      return false;
  }
}
