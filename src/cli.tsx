// kfleet's command-line entry: flags, kubeconfig, the demo cluster, the terminal, the app.
//
// Ink and the views are imported dynamically, after FORCE_COLOR is set from NO_COLOR: Ink's
// colour support is decided when it loads. Exit codes: 0 quit, 2 bad usage or configuration,
// 130 interrupted (SIGINT / ctrl+c), 128+n other signals, 1 crash.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { USAGE, UsageError, parseCliArgs, type CliOptions } from './app/args.js';
import { allocateYoung } from './app/heapGrowth.js';
import { onTableSwitch } from './model/churnMap.js';
import { TerminalGuard } from './app/terminal.js';
import { escapeKeyAtOnce } from './app/escapeKey.js';
import { ConfigError, configForContext, loadKubeconfig } from './config/kubeconfig.js';
import { KeymapError, loadKeymap, userKeymapPath } from './keys/keymap.js';
import { scrubSecrets } from './kube/client.js';
import { ContextManager } from './kube/contexts.js';
import { FleetPoller } from './kube/fleet.js';
import type { SimHandle } from './sim/launch.js';

const debug = process.env.KFLEET_DEBUG === '1';

function fail(message: string, code = 2): never {
  process.stderr.write(`kfleet: ${scrubSecrets(message)}\n`);
  process.exit(code);
}

function packageVersion(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const p = path.join(dir, 'package.json');
    if (fs.existsSync(p)) return (JSON.parse(fs.readFileSync(p, 'utf8')) as { version: string }).version;
    dir = path.dirname(dir);
  }
  return 'unknown';
}

/** Everything that must stop on the way out, whatever the way out is. */
const cleanup = {
  guard: new TerminalGuard(),
  unmount: undefined as (() => void) | undefined,
  contexts: undefined as ContextManager | undefined,
  sim: undefined as SimHandle | undefined,
  exiting: false,
};

async function shutdown(code: number, error?: unknown): Promise<never> {
  if (cleanup.exiting) process.exit(code);
  cleanup.exiting = true;
  try {
    cleanup.unmount?.();
  } catch {
    // Ink may be the thing that crashed
  }
  cleanup.guard.restore();
  if (error !== undefined) {
    const msg = error instanceof Error ? error.message : String(error);
    process.stderr.write(`kfleet crashed: ${scrubSecrets(msg)}\n`);
    if (debug && error instanceof Error && error.stack) process.stderr.write(scrubSecrets(error.stack) + '\n');
    else process.stderr.write('(run with KFLEET_DEBUG=1 for details)\n');
  }
  // Stop watches and the demo cluster, but never hang on the way out.
  const stopping = Promise.allSettled([cleanup.contexts?.close(), cleanup.sim?.stop()]);
  await Promise.race([stopping, new Promise((r) => setTimeout(r, 1500).unref())]);
  process.exit(code);
}

function installExitHandlers(): void {
  const signals: [NodeJS.Signals, number][] = [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ];
  for (const [sig, code] of signals) process.on(sig, () => void shutdown(code));
  process.on('uncaughtException', (e) => void shutdown(1, e));
  process.on('unhandledRejection', (e) => void shutdown(1, e));
  // Last resort (process.exit from anywhere): the terminal still comes back.
  process.on('exit', () => cleanup.guard.restore());
}

async function startDemo(): Promise<SimHandle> {
  // Loaded only for --demo: kfleet never starts the embedded cluster unasked.
  const { startSim } = await import('./sim/launch.js');
  return startSim({ scenario: 'incident' });
}

async function main(argv: string[]): Promise<void> {
  let opts: CliOptions;
  try {
    opts = parseCliArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) fail(`${e.message}\nRun kfleet --help for usage.`);
    throw e;
  }
  if (opts.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (opts.version) {
    process.stdout.write(`kfleet ${packageVersion()}\n`);
    return;
  }
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') process.env.FORCE_COLOR = '0';
  // React's development build re-checks every render; an operator's terminal wants the
  // production one. Set before React loads (it is imported dynamically below).
  process.env.NODE_ENV ??= 'production';

  let keymap;
  try {
    keymap = loadKeymap({ explicitFile: opts.keymap, userFile: userKeymapPath() });
  } catch (e) {
    if (e instanceof KeymapError) fail(`bad keymap: ${e.message}`);
    throw e;
  }

  installExitHandlers();
  let kubeconfigPath = opts.kubeconfig;
  let contextName = opts.context;
  if (opts.demo) {
    process.stderr.write('kfleet: starting the demo cluster…\n');
    try {
      cleanup.sim = await startDemo();
    } catch (e) {
      fail(`cannot start the demo cluster: ${e instanceof Error ? e.message : String(e)}`, 1);
    }
    kubeconfigPath = cleanup.sim.kubeconfigPath;
    contextName = opts.context ?? cleanup.sim.context;
  }

  let loaded;
  let context;
  try {
    loaded = loadKubeconfig({ explicitPath: kubeconfigPath, envValue: opts.demo ? undefined : process.env.KUBECONFIG });
    context = configForContext(loaded, contextName).context;
  } catch (e) {
    if (e instanceof ConfigError) {
      await cleanup.sim?.stop();
      fail(e.message);
    }
    throw e;
  }

  allocateYoung(); // before the first list (src/app/heapGrowth.ts)
  // Namespace scope: -n, else all with -A, else the context's namespace, else all.
  const namespace = opts.allNamespaces ? undefined : (opts.namespace ?? context.namespace);
  const contexts = new ContextManager(loaded, { namespace, warm: opts.warmContexts });
  // Polls only while the fleet view or the context picker is open (src/kube/fleet.ts).
  const fleet = new FleetPoller(contexts);
  cleanup.contexts = contexts;
  try {
    contexts.switchTo(context.name);
  } catch (e) {
    if (e instanceof ConfigError) {
      await cleanup.sim?.stop();
      fail(e.message);
    }
    throw e;
  }

  // Ink needs raw mode on stdin; without a terminal there (`kfleet < file`, a pipe, cron) it
  // would print its own error screen with a stack trace.
  if (!process.stdin.isTTY) {
    await Promise.allSettled([contexts.close(), cleanup.sim?.stop()]);
    fail('kfleet is interactive: its standard input must be a terminal.');
  }
  (await import('./app/trace.js')).installTrace(() => contexts.current?.store); // KFLEET_TRACE only (bench)
  (await import('./app/testHooks.js')).installStateDump(() => contexts.current?.store); // KFLEET_TEST_STATE only (tests)
  const heapGrowth = await import('./app/heapGrowth.js');
  heapGrowth.steerHeapGrowth(() => contexts.current?.store);
  onTableSwitch(() => heapGrowth.collectSoon());
  (await import('./app/idleCollect.js')).collectWhenIdle();
  // Before Ink loads: its per-frame text measuring, remembered across frames (src/app/inkCaches.ts).
  await (await import('./app/inkCaches.js')).installInkCaches();
  const { render } = await import('ink');
  const React = await import('react');
  const { App } = await import('../views/App.js');

  cleanup.guard.enter();
  escapeKeyAtOnce(process.stdin);
  const instance = render(
    React.createElement(App, {
      contexts,
      keymap,
      initialView: opts.view,
      readonly: opts.readonly,
      demo: opts.demo,
      options: { groupBy: opts.groupBy },
      fleet,
      onExit: (code: number) => void shutdown(code),
      immediateFrames: true,
    }),
    // `interactive`: Ink would render nothing until exit when CI=true is set (is-in-ci); kfleet
    // only gets here with a terminal on stdin, so it is interactive wherever stdout is one too.
    { exitOnCtrlC: false, patchConsole: true, incrementalRendering: true, maxFps: 30, interactive: Boolean(process.stdout.isTTY) },
  );
  cleanup.unmount = () => instance.unmount();
  // Test seam for the crash path (terminal restored, short scrubbed message, exit 1).
  const crashAfter = Number(process.env.KFLEET_TEST_CRASH_MS ?? '');
  if (crashAfter > 0) setTimeout(() => {
    throw new Error(`test crash (Authorization: Bearer ${process.env.KFLEET_TEST_CRASH_SECRET ?? 'x'})`);
  }, crashAfter);
}

main(process.argv.slice(2)).catch((e: unknown) => void shutdown(1, e));
