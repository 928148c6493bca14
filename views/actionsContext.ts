// How views reach the one module that writes to the cluster. The shell provides the Actions
// of the current context (readonly-aware, logged); a view asks the shell to confirm first
// (`useShell().confirm`), then calls an action from here. Views never call the cluster.
import { createContext, useContext } from 'react';
import type { Actions } from '../src/kube/actions.js';

export const ActionsContext = createContext<Actions | null>(null);

/** The current context's Actions; throws when rendered outside a provider (a wiring bug). */
export function useActions(): Actions {
  const a = useContext(ActionsContext);
  if (!a) throw new Error('no Actions provider: render views inside the App shell (ActionsContext)');
  return a;
}
