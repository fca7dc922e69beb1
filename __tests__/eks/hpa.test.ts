// The HorizontalPodAutoscaler of the auto-scaling input on EKS: rendering, the diff against the live one,
// and the missing-requests check. Tables, no I/O.
import { describe, expect, it } from 'vitest';
import {
  containersWithoutRequests,
  describeHpa,
  planHpa,
  renderHpaSpec,
  type K8sHpa,
} from '../../src/eks/hpa.ts';
import type { AutoScalingSettings } from '../../src/ecs/scaling-settings.ts';

const settings: AutoScalingSettings = {
  min: 2,
  max: 10,
  policies: [
    { metric: 'cpu', target: 60 },
    { metric: 'memory', target: 70 },
  ],
  loadBalancer: undefined,
  suspendScaleIn: false,
};
const wanted = renderHpaSpec('web', settings);
const live = (spec: Record<string, unknown>): K8sHpa => ({
  metadata: { name: 'web', namespace: 'default', resourceVersion: '7' },
  spec: { ...structuredClone(wanted), ...spec },
});

describe('renderHpaSpec', () => {
  it('scales the Deployment of the same name on Resource utilisation targets, in input order', () => {
    expect(wanted).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } },
        },
        {
          type: 'Resource',
          resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 70 } },
        },
      ],
    });
    expect(describeHpa(wanted)).toBe('2–10 replicas, cpu 60 %, memory 70 %');
  });
});

describe('planHpa', () => {
  it('creates an HPA that does not exist', () => {
    const change = planHpa(undefined, 'shop', wanted);
    expect(change).toEqual({
      kind: 'create',
      body: {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'web', namespace: 'shop' },
        spec: wanted,
      },
    });
  });
  it.each<[string, Record<string, unknown>, string[] | undefined]>([
    ['equal', {}, undefined],
    [
      'equal, with a behavior someone else set',
      { behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } },
      undefined,
    ],
    ['other max', { maxReplicas: 8 }, ['maxReplicas']],
    ['min defaulted to 1 by the API server', { minReplicas: undefined }, ['minReplicas']],
    [
      'other target value',
      {
        metrics: [
          wanted.metrics[0],
          {
            ...wanted.metrics[1],
            resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } },
          },
        ],
      },
      ['metrics'],
    ],
    ['a metric more', { metrics: [wanted.metrics[0]] }, ['metrics']],
    ['metrics in another order', { metrics: [wanted.metrics[1], wanted.metrics[0]] }, ['metrics']],
    [
      'another target',
      { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web' } },
      ['scaleTargetRef'],
    ],
  ])('%s', (_name, spec, changed) => {
    const change = planHpa(live(spec), 'default', wanted);
    if (!changed) expect(change).toEqual({ kind: 'none' });
    else expect(change).toEqual({ kind: 'patch', body: { spec: wanted }, changed });
  });
  it('ignores a min the API server defaulted when we want 1 too', () => {
    const one = renderHpaSpec('web', { ...settings, min: 1 });
    expect(
      planHpa({ metadata: { name: 'web' }, spec: { ...one, minReplicas: undefined } }, 'default', one),
    ).toEqual({ kind: 'none' });
  });
});

describe('containersWithoutRequests', () => {
  it.each<[string, { name: string; resources?: unknown }[], { resource: string; containers: string[] }[]]>([
    ['all requested', [{ name: 'app', resources: { requests: { cpu: '100m', memory: '64Mi' } } }], []],
    [
      'none requested',
      [{ name: 'app' }],
      [
        { resource: 'cpu', containers: ['app'] },
        { resource: 'memory', containers: ['app'] },
      ],
    ],
    [
      'a sidecar without a cpu request',
      [
        { name: 'app', resources: { requests: { cpu: '100m', memory: '64Mi' } } },
        { name: 'proxy', resources: { requests: { memory: '16Mi' }, limits: { cpu: '1' } } },
      ],
      [{ resource: 'cpu', containers: ['proxy'] }],
    ],
  ])('%s', (_name, containers, expected) => {
    expect(containersWithoutRequests({ spec: { containers: containers as never } }, wanted)).toEqual(
      expected,
    );
  });
});
