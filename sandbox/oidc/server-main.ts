// Entry point of the sandbox's GitHub OIDC issuer process (started detached by startSandbox). argv: the port
// and the file to write when it listens; that file ({url, issuer, pid}) is also how the sandbox's STS finds the
// issuer's key set (`<state dir>/run/oidc.json`).
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { GITHUB_ISSUER } from './jwt.ts';
import { createOidcServer } from './server.ts';

const [portText, readyFile] = process.argv.slice(2);
if (!portText || !readyFile) throw new Error('usage: server-main.ts <port> <ready-file>');
const { server } = createOidcServer();
server.listen(Number(portText), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  writeFileSync(
    readyFile,
    JSON.stringify({ url: `http://127.0.0.1:${port}`, issuer: GITHUB_ISSUER, pid: process.pid }),
  );
});

function shutdown(): void {
  server.close();
  server.closeAllConnections();
  setTimeout(() => process.exit(0), 200).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
