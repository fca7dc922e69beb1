import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  mergeDockerConfig,
  removeTemporaryDockerConfig,
  writeTemporaryDockerConfig,
} from '../../src/registry/docker-config.ts';

const HOST = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';

describe('mergeDockerConfig', () => {
  it('keeps other registries and settings and adds ours', () => {
    const merged = mergeDockerConfig(
      { auths: { 'ghcr.io': { auth: 'Z2g=' } }, proxies: { default: { httpProxy: 'x' } } },
      [HOST],
      'QVdTOnNlY3JldA==',
    );
    expect(merged).toEqual({
      auths: { 'ghcr.io': { auth: 'Z2g=' }, [HOST]: { auth: 'QVdTOnNlY3JldA==' } },
      proxies: { default: { httpProxy: 'x' } },
    });
  });

  it('overrides a credential store and an ECR credential helper for our host only', () => {
    const merged = mergeDockerConfig(
      { credsStore: 'desktop', credHelpers: { [HOST]: 'ecr-login', 'gcr.io': 'gcloud' } },
      [HOST],
      'QQ==',
    );
    expect(merged.credsStore).toBe('desktop');
    expect(merged.credHelpers).toEqual({ [HOST]: '', 'gcr.io': 'gcloud' });
  });

  it('adds no credHelpers when the user has neither store nor helper', () => {
    expect(mergeDockerConfig({}, [HOST], 'QQ==')).toEqual({ auths: { [HOST]: { auth: 'QQ==' } } });
  });
});

describe('temporary Docker config', () => {
  it('carries the user config over, links plugin folders, and is private', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'dcfg-'));
    const user = path.join(root, 'user');
    mkdirSync(path.join(user, 'cli-plugins'), { recursive: true });
    mkdirSync(path.join(user, 'buildx'));
    writeFileSync(path.join(user, 'config.json'), JSON.stringify({ auths: { 'ghcr.io': { auth: 'Z2g=' } } }));
    const dir = writeTemporaryDockerConfig({ parent: root, source: user, hosts: [HOST], auth: 'QQ==' });
    const config = JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8'));
    expect(Object.keys(config.auths)).toEqual(['ghcr.io', HOST]);
    expect(lstatSync(path.join(dir, 'cli-plugins')).isSymbolicLink()).toBe(true);
    expect(lstatSync(path.join(dir, 'buildx')).isSymbolicLink()).toBe(true);
    expect(statSync(path.join(dir, 'config.json')).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    removeTemporaryDockerConfig(dir);
    expect(existsSync(dir)).toBe(false);
    // Removing the links never touches what they point to.
    expect(existsSync(path.join(user, 'cli-plugins'))).toBe(true);
  });

  it('works without any user config', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'dcfg-'));
    const dir = writeTemporaryDockerConfig({
      parent: root,
      source: path.join(root, 'none'),
      hosts: [HOST],
      auth: 'QQ==',
    });
    expect(JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8'))).toEqual({
      auths: { [HOST]: { auth: 'QQ==' } },
    });
  });

  it('refuses to remove a folder it did not create', () => {
    expect(() => removeTemporaryDockerConfig('/home/user/.docker')).toThrow(/Refusing to remove/);
  });

  it('names the file when the user config is not JSON', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'dcfg-'));
    writeFileSync(path.join(root, 'config.json'), '{ nope');
    expect(() =>
      writeTemporaryDockerConfig({ parent: root, source: root, hosts: [HOST], auth: 'QQ==' }),
    ).toThrow(new RegExp(`${root}/config.json is not valid JSON`));
  });
});
