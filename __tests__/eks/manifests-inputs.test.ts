// The manifests inputs as the runner gives them (INPUT_* variables with action.yml's defaults).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { inputVariable, readInputs } from '../../src/inputs.ts';

const action = parse(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')) as {
  inputs: Record<string, { default?: string }>;
};
const workspace = mkdtempSync(path.join(os.tmpdir(), 'manifests-inputs-'));
mkdirSync(path.join(workspace, 'k8s'));
writeFileSync(path.join(workspace, 'Dockerfile'), 'FROM scratch\n');
writeFileSync(
  path.join(workspace, 'k8s', 'app.yaml'),
  'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n',
);
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

function read(overrides: Record<string, string>) {
  const defaults = Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, v.default ?? '']));
  const all = { ...defaults, repository: 'my-app', 'aws-region': 'eu-west-1', ...overrides };
  const env = Object.fromEntries(Object.entries(all).map(([k, v]) => [inputVariable(k), v]));
  return readInputs({ env, cwd: workspace });
}

describe('manifests inputs', () => {
  it('reads manifests with force-conflicts and prune, and no Deployment to patch', () => {
    const inputs = read({
      'eks-cluster': 'prod',
      namespace: 'web',
      manifests: 'k8s\nk8s/**/*.yaml\n',
      'force-conflicts': 'true',
      prune: 'true',
    });
    expect(inputs.target).toEqual({
      kind: 'eks',
      cluster: 'prod',
      namespace: 'web',
      deployments: [],
      containers: [],
      manifests: { entries: ['k8s', 'k8s/**/*.yaml'], cwd: workspace, forceConflicts: true, prune: true },
    });
  });

  it('leaves manifests out of a Deployment patch', () => {
    expect(read({ 'eks-cluster': 'prod', deployment: 'web' }).target).not.toHaveProperty('manifests');
  });

  it.each([
    [{ 'eks-cluster': 'prod', manifests: 'missing/' }, /Input "manifests": "missing\/" does not exist/],
    [
      { 'eks-cluster': 'prod', manifests: 'k8s', deployment: 'web' },
      /Input "deployment": and manifests are two ways to deploy/,
    ],
    [
      { 'eks-cluster': 'prod', manifests: 'k8s', 'auto-scaling': 'min=2\nmax=4\ncpu=60' },
      /Input "auto-scaling": works with deployment, not with manifests yet/,
    ],
    [
      { 'eks-cluster': 'prod', manifests: 'k8s', alarms: 'web-5xx', 'bake-time': '5m' },
      /Input "bake-time": works with deployment, not with manifests yet/,
    ],
    [
      { 'eks-cluster': 'prod', manifests: 'k8s', containers: 'app' },
      /Input "containers": does not apply with manifests/,
    ],
    [{ manifests: 'k8s' }, /Input "eks-cluster": is required with manifests/],
    [
      { 'eks-cluster': 'prod', deployment: 'web', prune: 'true' },
      /Input "prune": only applies with manifests/,
    ],
    [
      { 'eks-cluster': 'prod', manifests: 'k8s', 'force-conflicts': 'yes' },
      /Input "force-conflicts": "yes" is not a boolean/,
    ],
  ])('refuses %o', (overrides, message) => {
    expect(() => read(overrides)).toThrow(message);
  });
});
