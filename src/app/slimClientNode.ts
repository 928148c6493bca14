// @kubernetes/client-node without its generated API clients. kfleet uses the library's
// KubeConfig (kubeconfig files, contexts, exec / OIDC / cloud auth plugins, TLS) and speaks to
// the API server itself (src/kube/client.ts). The library's config module also imports its
// generated API and model modules (~1,700 files) for makeApiClient, which kfleet never calls:
// ~55 MB of memory and ~0.3 s of startup, measured. This resolve hook hands that one import a
// stand-in (clientNodeGenStandIn.ts) that says so if it is ever used. bin/kfleet.js installs it
// before the CLI loads; without it (KFLEET_SLIM_CLIENT=0, or a Node without module hooks)
// the library loads whole and works the same.
import { resolveHookInstaller } from './resolveHook.js';

const CONFIG_MODULE = /[\\/]@kubernetes[\\/]client-node[\\/]dist[\\/]config\.js$/;

/** Install the hook (once). False when this Node has no module hooks or it is switched off. */
export const installSlimClientNode = resolveHookInstaller('KFLEET_SLIM_CLIENT', () => {
  const standIn = import.meta.resolve('./clientNodeGenStandIn.js');
  return (specifier, context, nextResolve) => {
    if (specifier === './gen/index.js' && CONFIG_MODULE.test(context.parentURL ?? '')) return { url: standIn, shortCircuit: true };
    return nextResolve(specifier, context);
  };
});
