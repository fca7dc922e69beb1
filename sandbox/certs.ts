// The sandbox's own CA, the HTTPS certificate of the registry host (SANs 127.0.0.1 and localhost) and the key
// that signs registry tokens, made with openssl.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runChecked } from './system.ts';

export interface CertPaths {
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
  tokenCert: string;
  tokenKey: string;
}

export async function generateCerts(dir: string): Promise<CertPaths> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const p: CertPaths = {
    caCert: join(dir, 'ca.crt'),
    caKey: join(dir, 'ca.key'),
    serverCert: join(dir, 'server.crt'),
    serverKey: join(dir, 'server.key'),
    tokenCert: join(dir, 'token.crt'),
    tokenKey: join(dir, 'token.key'),
  };
  const ext = join(dir, 'server.ext');
  writeFileSync(
    ext,
    'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n',
  );
  const days = ['-days', '30'];
  await Promise.all([
    runChecked('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      p.caKey,
      '-out',
      p.caCert,
      ...days,
      '-subj',
      '/CN=ecr-deploy sandbox CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    ]),
    runChecked('openssl', [
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      p.serverKey,
      '-out',
      join(dir, 'server.csr'),
      '-subj',
      '/CN=127.0.0.1',
    ]),
    runChecked('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      p.tokenKey,
      '-out',
      p.tokenCert,
      ...days,
      '-subj',
      '/CN=ecr-deploy sandbox token signer',
    ]),
  ]);
  await runChecked('openssl', [
    'x509',
    '-req',
    '-in',
    join(dir, 'server.csr'),
    '-CA',
    p.caCert,
    '-CAkey',
    p.caKey,
    '-CAcreateserial',
    '-out',
    p.serverCert,
    ...days,
    '-extfile',
    ext,
  ]);
  return p;
}
