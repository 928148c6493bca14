// The embedded cluster as a process: a CLI (`npm run sim -- --scenario incident ...`) and the
// child that `launch.ts` forks (options as JSON in argv, handshake over IPC).
import { startSimServer, type SimOptions } from './server.js';
import { writeKubeconfig } from './kubeconfig.js';

const HELP = `usage: npm run sim -- [options]
  --scenario NAME      incident (default), healthy, small, empty, generated
  --nodes N --pods M   size of the generated scenario
  --seed N             seed of the scenario's randomness
  --churn R            changes per second (60 % readiness flips, 20 % pod deletes, 20 % events);
                       a deleted owned pod is left to its controller, which at 150,000
                       pods does not keep up with 2,000/s: the count falls (npm run bench runs
                       the sim with its controllers off, and the churn recreates the pods)
  --drop-watches S     close all watches every S seconds
  --p410 P --p500 P    share of watches answered 410 / of requests answered 500
  --latency MS         added latency per request
  --forbid a,b         resources answered 403 (e.g. events,pods)
  --no-metrics         do not serve metrics.k8s.io
  --metrics-change-every S  new usage figures for every container every S seconds, like
                       metrics-server's scrapes (default 0: fixed figures per container)
  --port N             listen port (default 0: any free port)
  --token T            bearer token (default: random)
  --context NAME       context name in the kubeconfig (default kfleet-demo)
  --kubeconfig PATH    where to write the kubeconfig (default: a temp dir)
  --no-tls             plain HTTP (kubectl then sends no token: it only works with curl-like clients)
  --log-requests       print each request to stderr`;

export interface MainOptions extends SimOptions {
  context?: string;
  namespace?: string;
  kubeconfigPath?: string;
}

export function parseArgs(argv: string[]): MainOptions {
  const o: MainOptions = { faults: {} };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const v = () => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${a} needs a value`);
      return x;
    };
    switch (a) {
      case '--json': Object.assign(o, JSON.parse(v())); break;
      case '--scenario': o.scenario = v(); break;
      case '--nodes': o.nodes = Number(v()); break;
      case '--pods': o.pods = Number(v()); break;
      case '--seed': o.seed = Number(v()); break;
      case '--churn': o.churn = Number(v()); break;
      case '--drop-watches': o.faults!.dropWatchesEverySec = Number(v()); break;
      case '--p410': o.faults!.p410 = Number(v()); break;
      case '--p500': o.faults!.p500 = Number(v()); break;
      case '--latency': o.faults!.latencyMs = Number(v()); break;
      case '--forbid': o.faults!.forbid = v().split(',').filter(Boolean); break;
      case '--no-metrics': o.metrics = false; break;
      case '--metrics-change-every': o.metricsChangeEverySec = Number(v()); break;
      case '--port': o.port = Number(v()); break;
      case '--token': o.token = v(); break;
      case '--context': o.context = v(); break;
      case '--namespace': o.namespace = v(); break;
      case '--kubeconfig': o.kubeconfigPath = v(); break;
      case '--log-requests': o.logRequests = true; break;
      case '--no-tls': o.tls = false; break;
      case '-h': case '--help': process.stdout.write(HELP + '\n'); process.exit(0);
      default: throw new Error(`unknown option ${a}\n${HELP}`);
    }
  }
  return o;
}

async function main(): Promise<void> {
  let opts: MainOptions;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(2);
  }
  const server = await startSimServer(opts);
  const context = opts.context ?? 'kfleet-demo';
  const kubeconfigPath = writeKubeconfig([{ name: context, server: server.url, token: server.token, namespace: opts.namespace, ca: server.ca }], { path: opts.kubeconfigPath });
  const shutdown = () => void server.close().then(() => process.exit(0));
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  if (process.send) {
    // Forked by launch.ts: hand over the address, and die with the parent.
    process.on('disconnect', shutdown);
    process.send({ type: 'ready', url: server.url, token: server.token, ca: server.ca, port: server.port, kubeconfigPath, context });
  } else {
    process.stdout.write(`kfleet sim (${opts.scenario ?? 'incident'}) at ${server.url}\nkubeconfig: ${kubeconfigPath}\n  kubectl --kubeconfig ${kubeconfigPath} get pods -A\n`);
  }
}

main().catch((e) => {
  process.stderr.write(`sim failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
