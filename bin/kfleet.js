#!/usr/bin/env node
// kfleet's entry: make sure Node >= 22 runs it (re-exec with the `node` devDependency's
// binary when the default node is older), then start the built CLI (dist/src/cli.js).
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
  // Compiled code kept on disk between runs (Node's compile cache: in os.tmpdir() unless
  // NODE_COMPILE_CACHE names a directory; NODE_DISABLE_COMPILE_CACHE=1 turns it off).
  nodeModule.enableCompileCache?.();
  // Before the CLI's modules resolve: @kubernetes/client-node without its generated clients,
  // Ink's throttle without the rest of es-toolkit.
  (await import('../dist/src/app/slimClientNode.js')).installSlimClientNode();
  (await import('../dist/src/app/slimEsToolkit.js')).installSlimEsToolkit();
  await import('../dist/src/cli.js');
}
