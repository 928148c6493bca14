// The install-once part of kfleet's module resolve hooks (slimClientNode.ts, slimEsToolkit.ts):
// bin/kfleet.js installs each before the CLI's modules resolve. Each can be switched off with
// its environment variable set to 0, and a Node without module hooks just runs without it.
import { registerHooks, type ResolveHookSync } from 'node:module';

/**
 * An install function for the resolve hook `makeHook` gives (made at install time, so that what
 * it looks up first may fail too): installs once, and says whether the hook is on.
 */
export function resolveHookInstaller(offSwitch: string, makeHook: () => ResolveHookSync): () => boolean {
  let installed: boolean | undefined;
  return () => {
    if (installed !== undefined) return installed;
    installed = false;
    if (process.env[offSwitch] === '0') return installed;
    try {
      registerHooks({ resolve: makeHook() });
      installed = true;
    } catch {
      // no module hooks in this Node: the module loads as it is
    }
    return installed;
  };
}
