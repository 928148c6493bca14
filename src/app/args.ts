// Command-line arguments, kubectl-like. Pure: parseCliArgs never exits or prints.
import { parseArgs } from 'node:util';

export const VIEW_NAMES_FOR_CLI = ['nodes', 'pods', 'podlist', 'volumes', 'rollouts', 'events', 'fleet'] as const;

export interface CliOptions {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  allNamespaces: boolean;
  readonly: boolean;
  demo: boolean;
  keymap?: string;
  groupBy?: string;
  /** How many recent contexts keep their watches open (default 3). */
  warmContexts?: number;
  view?: string;
  help: boolean;
  version: boolean;
}

/** Bad usage: the message is printed with a pointer to --help, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export const USAGE = `kfleet - a terminal UI for Kubernetes operators

Usage: kfleet [VIEW] [flags]

Views: nodes, pods, volumes, rollouts, events, fleet, podlist (default: pods)

Flags:
      --kubeconfig FILE    kubeconfig file to use (default: $KUBECONFIG, then ~/.kube/config)
      --context NAME       context to use (default: the kubeconfig's current-context)
  -n, --namespace NS       show one namespace (default: the context's namespace, else all)
  -A, --all-namespaces     show every namespace
      --readonly           refuse every action that would change the cluster
      --demo               run on a built-in demo cluster (an incident scenario)
      --keymap FILE        key bindings to use over keymaps/default.yaml
                           (default: $XDG_CONFIG_HOME/kfleet/keymap.yaml when it exists)
      --view VIEW          the view to open first (same as the VIEW argument)
      --group-by SPEC      how the pods view groups pods (e.g. namespace,app,component)
      --warm-contexts N    recent contexts that keep their watches open, so switching
                           back is instant (default 3, at least 1)
  -h, --help               show this help
  -v, --version            print the version

Keys: ? help, : palette, / filter, q quit, 1-6 views, c contexts, - previous context, n namespaces.
Environment: KUBECONFIG, NO_COLOR, XDG_CONFIG_HOME, KFLEET_DEBUG=1 (stack traces on crash).
`;

export function parseCliArgs(argv: string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        kubeconfig: { type: 'string' },
        context: { type: 'string' },
        namespace: { type: 'string', short: 'n' },
        'all-namespaces': { type: 'boolean', short: 'A' },
        readonly: { type: 'boolean' },
        demo: { type: 'boolean' },
        keymap: { type: 'string' },
        'group-by': { type: 'string' },
        'warm-contexts': { type: 'string' },
        view: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (e) {
    // parseArgs' messages name the flag ("Unknown option '--foo'..."); keep the first sentence.
    throw new UsageError(String((e as Error).message).split('. ')[0].replace(/\.$/, ''));
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new UsageError(`unexpected arguments: ${positionals.slice(1).join(' ')}`);
  const view = values.view ?? positionals[0];
  if (values.view && positionals[0] && values.view !== positionals[0]) throw new UsageError(`two views given: ${positionals[0]} and --view ${values.view}`);
  if (view !== undefined && !(VIEW_NAMES_FOR_CLI as readonly string[]).includes(view)) {
    throw new UsageError(`unknown view "${view}" (known: ${VIEW_NAMES_FOR_CLI.join(', ')})`);
  }
  if (values.namespace !== undefined && values['all-namespaces']) throw new UsageError('--namespace and --all-namespaces cannot be used together');
  for (const flag of ['kubeconfig', 'context', 'namespace', 'keymap', 'group-by'] as const) {
    if (values[flag] === '') throw new UsageError(`--${flag} needs a value`);
  }
  let warmContexts: number | undefined;
  if (values['warm-contexts'] !== undefined) {
    warmContexts = Number(values['warm-contexts']);
    if (!Number.isInteger(warmContexts) || warmContexts < 1) throw new UsageError(`--warm-contexts needs a whole number of at least 1, not "${values['warm-contexts']}"`);
  }
  if (values.demo && values.kubeconfig) throw new UsageError('--demo and --kubeconfig cannot be used together');
  return {
    kubeconfig: values.kubeconfig,
    context: values.context,
    namespace: values.namespace,
    allNamespaces: values['all-namespaces'] ?? false,
    readonly: values.readonly ?? false,
    demo: values.demo ?? false,
    keymap: values.keymap,
    groupBy: values['group-by'],
    ...(warmContexts !== undefined ? { warmContexts } : {}),
    view,
    help: values.help ?? false,
    version: values.version ?? false,
  };
}
