// Ink's throttle without the rest of es-toolkit. Ink imports `throttle` from es-toolkit's
// compat barrel ('es-toolkit/compat'), which loads its whole lodash-like API to give it: ~410
// modules, 45 % of all the modules kfleet loads, resolved and compiled before the first frame.
// This resolve hook hands Ink's import the barrel's own throttle module (the barrel re-exports
// that very file: same code, same function; test/unit/slimEsToolkit.test.ts checks both).
// bin/kfleet.js installs it before the CLI loads; without it (KFLEET_SLIM_ESTOOLKIT=0, a Node
// without module hooks, or another es-toolkit layout) Ink loads the barrel as it is.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolveHookInstaller } from './resolveHook.js';

const INK_MODULE = /[\\/]ink[\\/]build[\\/]ink\.js$/;
/** Where es-toolkit keeps the barrel's throttle, from its public `compat/throttle` entry. */
const THROTTLE_FROM_ENTRY = '../dist/compat/function/throttle.mjs';

/** Install the hook (once). False when this Node has no module hooks or it is switched off. */
export const installSlimEsToolkit = resolveHookInstaller('KFLEET_SLIM_ESTOOLKIT', () => (specifier, context, nextResolve) => {
  if (specifier === 'es-toolkit/compat' && INK_MODULE.test(context.parentURL ?? '')) {
    try {
      const url = new URL(THROTTLE_FROM_ENTRY, nextResolve('es-toolkit/compat/throttle', context).url);
      if (existsSync(fileURLToPath(url))) return { url: url.href, shortCircuit: true };
    } catch {
      // another es-toolkit: the barrel, as Ink asks
    }
  }
  return nextResolve(specifier, context);
});
