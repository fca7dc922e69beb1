// What the image path works with, as the inputs describe it. Types only: every module may import them.

export type TagMutability = 'MUTABLE' | 'IMMUTABLE';

export interface KeyValue {
  readonly name: string;
  readonly value: string;
}

export type CacheMode = 'registry' | 'gha';

export type BuilderChoice = 'auto' | 'docker' | 'buildah';

/** A build secret: exposed to `RUN --mount=type=secret,id=…` only, never a build argument. */
export interface BuildSecret {
  readonly id: string;
  readonly source:
    | { readonly kind: 'value'; readonly value: string }
    | { readonly kind: 'env'; readonly name: string }
    | { readonly kind: 'file'; readonly path: string };
}

/** An image reference as written: `host/path[:tag][@sha256:…]`. */
export interface ImageReference {
  readonly host: string;
  /** Repository path below the host. */
  readonly path: string;
  readonly tag: string | undefined;
  readonly digest: string | undefined;
}

/** What to build, when the step builds. */
export interface BuildInputs {
  readonly kind: 'build';
  readonly repository: string;
  /** Absolute path of the build context. */
  readonly context: string;
  /** Absolute path of the Dockerfile. */
  readonly dockerfile: string;
  readonly buildArgs: readonly KeyValue[];
  readonly target: string | undefined;
  readonly platforms: readonly string[];
  readonly labels: readonly KeyValue[];
  readonly provenance: boolean;
  readonly builder: BuilderChoice;
  readonly secrets: readonly BuildSecret[];
  readonly cache: CacheMode | undefined;
  /** Reuse the image already built for this commit from the same build inputs. */
  readonly skipExisting: boolean;
}

/** An existing image to deploy instead of building. */
export interface ExistingImageInputs {
  readonly kind: 'image';
  readonly reference: ImageReference;
}
