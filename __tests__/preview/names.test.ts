import { describe, expect, it } from 'vitest';
import {
  ECS_NAME_MAX,
  TARGET_GROUP_NAME_MAX,
  familyOfArn,
  fitName,
  previewNames,
  renderPreviewUrl,
} from '../../src/preview/names.ts';

describe('previewNames', () => {
  it.each([
    ['web', 'web', 42, { service: 'web-pr-42', family: 'web-pr-42', targetGroup: 'web-pr-42', tag: 'pr-42' }],
    [
      'api_v2',
      'api-task',
      7,
      { service: 'api_v2-pr-7', family: 'api-task-pr-7', targetGroup: 'api-v2-pr-7', tag: 'pr-7' },
    ],
    [
      'arn:aws:ecs:eu-west-1:123456789012:service/prod/web',
      'web',
      1,
      { service: 'web-pr-1', family: 'web-pr-1', targetGroup: 'web-pr-1', tag: 'pr-1' },
    ],
  ])('names the preview of %s (family %s) for PR %i', (base, family, pr, expected) => {
    expect(previewNames(base, family, pr)).toEqual({ pr, ...expected });
  });

  it('shortens target group names to 32 characters, keeping the PR suffix and staying distinct', () => {
    const a = previewNames('checkout-frontend-service-eu', 'f', 12345);
    const b = previewNames('checkout-frontend-service-us', 'f', 12345);
    for (const n of [a, b]) {
      expect(n.targetGroup.length).toBeLessThanOrEqual(TARGET_GROUP_NAME_MAX);
      expect(n.targetGroup).toMatch(/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/);
      expect(n.targetGroup.endsWith('-pr-12345')).toBe(true);
    }
    expect(a.targetGroup).not.toBe(b.targetGroup);
    expect(previewNames('checkout-frontend-service-eu', 'f', 12345).targetGroup).toBe(a.targetGroup);
    // The ECS name needs no shortening.
    expect(a.service).toBe('checkout-frontend-service-eu-pr-12345');
  });

  it('shortens ECS names to 255 characters deterministically', () => {
    const long = 'x'.repeat(254);
    const n = previewNames(long, long, 9);
    expect(n.service.length).toBe(ECS_NAME_MAX);
    expect(n.family.length).toBe(ECS_NAME_MAX);
    expect(n.service).toMatch(/^x+-[0-9a-f]{6}-pr-9$/);
  });

  it.each([
    ['web', '-pr-1', 10, 'web-pr-1'],
    ['abcdefghij', '-pr-1', 14, 'ab-'],
  ])('fitName(%s, %s, %i) starts with %s', (base, suffix, max, start) => {
    const name = fitName(base, suffix, max);
    expect(name.length).toBeLessThanOrEqual(max);
    expect(name.startsWith(start)).toBe(true);
  });
});

describe('familyOfArn', () => {
  it.each([
    ['arn:aws:ecs:eu-west-1:123456789012:task-definition/web:7', 'web'],
    ['web:12', 'web'],
    ['web', 'web'],
  ])('%s → %s', (arn, family) => expect(familyOfArn(arn)).toBe(family));
});

describe('renderPreviewUrl', () => {
  it.each([
    [
      'https://pr-{number}.preview.example.com',
      42,
      'https://pr-42.preview.example.com',
      'pr-42.preview.example.com',
    ],
    ['http://preview.example.com/pr/{number}/', 3, 'http://preview.example.com/pr/3/', 'preview.example.com'],
    ['https://static.example.com', 3, 'https://static.example.com', 'static.example.com'],
  ])('%s for PR %i → %s (host %s)', (template, pr, url, host) => {
    expect(renderPreviewUrl(template, pr)).toEqual({ url, host });
  });

  it.each([
    ['pr-{number}.example.com', /not a URL/],
    ['ftp://pr-{number}.example.com', /not an http/],
    ['https://pr-{pr}.example.com', /placeholder other than \{number\}/],
  ])('rejects %s', (template, message) => {
    expect(() => renderPreviewUrl(template, 1)).toThrow(message);
  });
});
