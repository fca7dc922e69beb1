import { describe, expect, it } from 'vitest';
import type { KubeObject, SourcedObject } from '../../src/eks/manifests/objects.ts';
import {
  NAMESPACE_NAME_MAX,
  PREVIEW_PR_LABEL,
  PreviewManifestError,
  previewNamespace,
  previewNamespaceObject,
  rewriteForPreview,
} from '../../src/preview/eks-names.ts';

const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

describe('previewNamespace', () => {
  it.each([
    ['shop', 1, 'shop-pr-1'],
    ['web-prod', 4242, 'web-prod-pr-4242'],
    ['a'.repeat(55), 7, `${'a'.repeat(55)}-pr-7`],
  ])('names the preview of %s for PR %i', (base, pr, expected) => {
    expect(previewNamespace(base, pr)).toBe(expected);
  });

  it.each([
    ['x'.repeat(63), 12345],
    [`${'team-'.repeat(12)}eu`, 9],
    [`${'team-'.repeat(12)}us`, 9],
  ])('shortens %s (PR %i) to a DNS label that keeps the PR suffix', (base, pr) => {
    const name = previewNamespace(base, pr);
    expect(name.length).toBeLessThanOrEqual(NAMESPACE_NAME_MAX);
    expect(name).toMatch(DNS_LABEL);
    expect(name.endsWith(`-pr-${pr}`)).toBe(true);
    expect(previewNamespace(base, pr)).toBe(name);
  });

  it('keeps two long bases with the same start apart', () => {
    const a = previewNamespace(`${'team-'.repeat(12)}eu`, 9);
    const b = previewNamespace(`${'team-'.repeat(12)}us`, 9);
    expect(a).not.toBe(b);
  });

  it('gives a base that is itself a preview name a different namespace', () => {
    expect(previewNamespace('shop-pr-1', 1)).toBe('shop-pr-1-pr-1');
    expect(previewNamespace('y'.repeat(58) + '-pr-1', 1)).not.toBe('y'.repeat(58) + '-pr-1');
  });

  it('labels the namespace with the PR and the base', () => {
    expect(previewNamespaceObject('shop-pr-3', 'shop', 3).metadata.labels).toEqual({
      'ecr-deploy.dev/preview-pr': '3',
      'ecr-deploy.dev/preview-of': 'shop',
    });
  });
});

const sourced = (object: KubeObject, source = 'k8s/app.yaml:1'): SourcedObject => ({ object, source });
const namespaced = (o: KubeObject) => !['Namespace', 'ClusterRole', 'StorageClass'].includes(o.kind);
const deployment: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
  spec: { template: { spec: { containers: [{ name: 'web', image: 'repo:latest' }] } } },
};
const ingress: KubeObject = {
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name: 'web', namespace: 'other' },
  spec: {
    rules: [{ host: 'shop.example.com', http: { paths: [] } }, { host: 'www.example.com' }],
    tls: [{ hosts: ['shop.example.com'], secretName: 'tls' }],
  },
};
const rewrite = { namespace: 'shop-pr-5', base: 'shop', pr: 5, host: 'pr-5.preview.example.com' };

describe('rewriteForPreview', () => {
  it.each([
    ['a Deployment in the base namespace', deployment],
    ['an Ingress in another namespace', ingress],
    ['a ConfigMap with no namespace', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }],
  ])('moves %s into the preview namespace and labels it', (_what, object) => {
    const [out] = rewriteForPreview([sourced(object)], rewrite, namespaced);
    expect(out?.object.metadata.namespace).toBe('shop-pr-5');
    expect(out?.object.metadata.labels?.[PREVIEW_PR_LABEL]).toBe('5');
    expect(object.metadata.namespace).not.toBe('shop-pr-5');
  });

  it('keeps the labels an object has', () => {
    const [out] = rewriteForPreview([sourced(deployment)], rewrite, namespaced);
    expect(out?.object.metadata.labels).toEqual({ app: 'web', [PREVIEW_PR_LABEL]: '5' });
  });

  it.each([
    [
      'with preview-url',
      'pr-5.preview.example.com',
      ['pr-5.preview.example.com', 'pr-5.preview.example.com'],
    ],
    ['without preview-url', undefined, ['shop.example.com', 'www.example.com']],
  ])('rewrites Ingress hosts %s', (_what, host, hosts) => {
    const [out] = rewriteForPreview([sourced(ingress)], { ...rewrite, host }, namespaced);
    const spec = out?.object.spec as { rules: { host: string }[]; tls: { hosts: string[] }[] };
    expect(spec.rules.map((r) => r.host)).toEqual(hosts);
    expect(spec.tls[0]?.hosts).toEqual([hosts[0]]);
  });

  it.each([
    ['Namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }, 'Namespace shop'],
    [
      'ClusterRole',
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'reader' } },
      'ClusterRole reader',
    ],
  ])('refuses a cluster-scoped %s, naming it and its file', (_kind, object, named) => {
    const run = () =>
      rewriteForPreview([sourced(deployment), sourced(object, 'k8s/x.yaml:3')], rewrite, namespaced);
    expect(run).toThrow(PreviewManifestError);
    expect(run).toThrow(`${named} (k8s/x.yaml:3)`);
  });

  it('refuses the base namespace as the preview namespace', () => {
    expect(() =>
      rewriteForPreview([sourced(deployment)], { ...rewrite, namespace: 'shop' }, namespaced),
    ).toThrow(/is the base namespace/);
  });
});
