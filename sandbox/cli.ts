// node sandbox/cli.ts install|start|stop|env [--plain]|status   (or: npm run sandbox -- start)
import { defaultDir, isHealthy, readState, sandboxEnv, startSandbox, stopSandbox } from './index.ts';

function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

const command = process.argv[2];
const dir = defaultDir();
const log = (m: string) => console.error(`[sandbox] ${m}`);

switch (command) {
  case 'start': {
    const state = await startSandbox({ dir, log });
    console.error(
      `[sandbox] state: ${state.stateFile}\n[sandbox] load the environment with: eval "$(node sandbox/cli.ts env)"`,
    );
    break;
  }
  case 'stop': {
    const had = await stopSandbox(dir);
    log(had ? `stopped the sandbox in ${dir}` : `no sandbox state in ${dir}; cleaned up leftovers`);
    break;
  }
  case 'install': {
    // The Debian packages the sandbox needs (only the missing ones; the engine only where none answers).
    const { ensurePackages } = await import('./system.ts');
    const { dockerWorks } = await import('./engine.ts');
    await ensurePackages(!(await dockerWorks(process.env)), log);
    log('Debian packages present');
    break;
  }
  case 'env': {
    const state = readState(dir);
    if (!state) {
      console.error(`no sandbox running in ${dir}; run: node sandbox/cli.ts start`);
      process.exit(1);
    }
    // --plain: NAME=VALUE lines for a GitHub Actions $GITHUB_ENV file; default: shell `export` lines.
    const plain = process.argv.includes('--plain');
    for (const [k, v] of Object.entries(sandboxEnv(state)))
      console.log(plain ? `${k}=${v}` : `export ${k}=${shellQuote(v)}`);
    break;
  }
  case 'status': {
    const state = readState(dir);
    const healthy = state ? await isHealthy(state) : false;
    console.log(
      JSON.stringify(
        state
          ? {
              running: healthy,
              dir,
              awsEndpoint: state.awsEndpoint,
              registryHost: state.registryHost,
              dockerHost: state.dockerHost,
              processes: state.processes.map((p) => ({ name: p.name, pid: p.pid })),
            }
          : { running: false, dir },
        null,
        2,
      ),
    );
    process.exit(healthy ? 0 : 3);
    break;
  }
  default:
    console.error(
      'usage: node sandbox/cli.ts start|stop|env|status   (state dir: $SANDBOX_DIR or <repo>/.sandbox)',
    );
    process.exit(2);
}
