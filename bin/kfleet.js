#!/usr/bin/env node
// kfleet's entry: make sure Node >= 22 runs it (re-exec with the `node` devDependency's
// binary when the default node is older), on Linux set glibc malloc's mmap threshold (see
// mallocTunablesToSet), then start the built CLI (dist/src/cli.js).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  const pkgDir = join(dirname(fileURLToPath(import.meta.url)), '..');
  let node22;
  try {
    node22 = nodeModule.createRequire(join(pkgDir, 'package.json')).resolve('node/bin/node');
  } catch {
    node22 = undefined;
  }
  if (!node22 || !existsSync(node22) || process.env.KFLEET_REEXEC === '1') {
    process.stderr.write(`kfleet needs Node.js >= 22 (this is ${process.version}).\n`);
    process.exit(2);
  }
  // The child owns the terminal; this process forwards signals and passes its exit status on.
  const child = spawn(node22, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, KFLEET_REEXEC: '1' },
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig));
  child.on('error', (e) => {
    process.stderr.write(`kfleet: cannot start Node 22 (${e.message}).\n`);
    process.exit(2);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 1)));
} else {
  // Once, before anything else runs: this process becomes kfleet again (same pid, same
  // terminal), with glibc's malloc told at its start what it cannot be told later.
  const tunables = mallocTunablesToSet();
  if (tunables) {
    try {
      process.execve(process.execPath, [process.execPath, ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { ...process.env, GLIBC_TUNABLES: tunables });
    } catch {
      // Not replaced: kfleet runs on with malloc's defaults.
    }
  }
  // Compiled code kept on disk between runs (Node's compile cache: in os.tmpdir() unless
  // NODE_COMPILE_CACHE names a directory; NODE_DISABLE_COMPILE_CACHE=1 turns it off).
  nodeModule.enableCompileCache?.();
  // Before the CLI's modules resolve: @kubernetes/client-node without its generated clients,
  // Ink's throttle without the rest of es-toolkit.
  (await import('../dist/src/app/slimClientNode.js')).installSlimClientNode();
  (await import('../dist/src/app/slimEsToolkit.js')).installSlimEsToolkit();
  await import('../dist/src/cli.js');
}

/**
 * GLIBC_TUNABLES with glibc malloc's mmap threshold fixed at 32 KB, or undefined when there is
 * nothing to do (not Linux with glibc, no process.execve, or the threshold already set, by
 * this or by the user). glibc raises the threshold to the size of any mapped block it frees
 * (up to 32 MB), after which big buffers (a list page, a socket's read) come from its arena,
 * which keeps the memory it grew to; fixed, each is mapped on its own and given back when
 * freed. At 150,000 pods (300 s runs of `npm run bench`, one each): RSS besides V8's heap at
 * the churn's peak 127 MB against 167, the churn's peak RSS 574 against 605 MB, at sync 470
 * against 510.
 */
function mallocTunablesToSet() {
  const own = process.env.GLIBC_TUNABLES ?? '';
  if (process.platform !== 'linux' || typeof process.execve !== 'function' || own.includes('glibc.malloc.mmap_threshold')) return undefined;
  if (!process.report?.getReport().header.glibcVersionRuntime) return undefined; // musl: no glibc malloc
  return [own, 'glibc.malloc.mmap_threshold=32768'].filter(Boolean).join(':');
}
