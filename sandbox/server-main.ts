// Entry point of the sandbox server process (started detached by startSandbox): the AWS endpoint over HTTP and
// the ECR data-plane proxy over HTTPS. Reads its configuration from the file named by argv[2].
import { readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createAwsServer } from './aws/server.ts';
import { createServices } from './aws/services.ts';
import { createRegistryProxy } from './registry/proxy.ts';
import { World, type ServerConfig } from './world.ts';

const configPath = process.argv[2];
if (!configPath) throw new Error('usage: server-main.ts <server-config.json>');
const config = JSON.parse(readFileSync(configPath, 'utf8')) as ServerConfig;
const world = new World(config);
world.controlRoutes.set('engine', async (method, _path, _url, body) => {
  if (method !== 'POST') return { status: 405, body: { error: 'POST {dockerHost}' } };
  world.dockerHost = (JSON.parse(body.toString('utf8') || '{}') as { dockerHost?: string }).dockerHost;
  return { status: 200, body: { dockerHost: world.dockerHost } };
});
const { server } = createAwsServer({ world, services: createServices(world) });
const proxy = createRegistryProxy(world);

function listen(s: typeof server | typeof proxy, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    s.once('error', reject);
    s.listen(port, '127.0.0.1', () => resolve((s.address() as AddressInfo).port));
  });
}

const awsPort = await listen(server, config.awsPort);
const proxyPort = await listen(proxy, config.proxyPort);
writeFileSync(`${configPath}.ready`, JSON.stringify({ pid: process.pid, awsPort, proxyPort }));

function shutdown(): void {
  server.close();
  proxy.close();
  server.closeAllConnections();
  proxy.closeAllConnections();
  setTimeout(() => process.exit(0), 200).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
