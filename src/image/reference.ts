/** The repository part of an image reference (`host/path`, without tag or digest). */
export function imageRepository(image: string): string {
  const noDigest = image.split('@')[0] ?? image;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

// The reference grammar of the distribution project (what docker, containerd and the kubelet parse):
// [domain[:port]/]path[:tag][@digest], path components lowercase, the whole name at most 255 characters.
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = new RegExp(`^${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*(?::[0-9]+)?$`);
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const NAME_MAX = 255;

/** Pure: why `image` is not a pullable image reference, or undefined when it is one. */
export function imageReferenceProblem(image: string): string | undefined {
  if (image === '') return 'is empty';
  if (/\s/.test(image)) return 'contains white space';
  let rest = image;
  const at = rest.indexOf('@');
  if (at >= 0) {
    if (!DIGEST.test(rest.slice(at + 1))) return 'has a digest that is not algorithm:hex (e.g. sha256:…)';
    rest = rest.slice(0, at);
  }
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) {
    if (!TAG.test(rest.slice(colon + 1))) return `has an invalid tag "${rest.slice(colon + 1)}"`;
    rest = rest.slice(0, colon);
  }
  if (rest.length > NAME_MAX) return `has a name longer than ${NAME_MAX} characters`;
  const parts = rest.split('/');
  const first = parts[0] ?? '';
  // As docker decides: the first component is a registry host when it has a dot, a port or is localhost.
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    if (!DOMAIN.test(first)) return `has an invalid registry host "${first}"`;
    parts.shift();
  }
  for (const part of parts) {
    if (!PATH_COMPONENT.test(part)) {
      return `has an invalid repository path component "${part}" (lowercase letters, digits, and . _ - between them)`;
    }
  }
  return undefined;
}
