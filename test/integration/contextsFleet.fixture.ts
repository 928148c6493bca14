// One kubeconfig with several clusters, for the context and fleet tests: two embedded
// clusters (scenarios "incident" and "healthy"), a closed port, a wrong token, a host that
// does not resolve. Also used by test/e2e/contexts.test.ts.
import fs from 'node:fs';
import net from 'node:net';
import { startSim, writeKubeconfig, type SimHandle } from '../../src/sim/launch.js';

export interface FleetFixture {
  incident: SimHandle;
  healthy: SimHandle;
  kubeconfig: string;
  /** The file's bytes when written: switching must leave them unchanged. */
  bytes: Buffer;
  stop(): Promise<void>;
}

export const CTX = {
  incident: 'prod-us-east-incident',
  healthy: 'staging-eu-healthy',
  down: 'dr-down',
  badToken: 'prod-badtoken',
  noDns: 'gone-dns',
} as const;

/** A port nothing listens on (bound, then closed). */
export function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export async function startFleet(): Promise<FleetFixture> {
  const [incident, healthy] = await Promise.all([startSim({ scenario: 'incident' }), startSim({ scenario: 'healthy' })]);
  const port = await closedPort();
  const kubeconfig = writeKubeconfig(
    [
      { name: CTX.incident, server: incident.url, token: incident.token, ca: incident.ca },
      { name: CTX.healthy, server: healthy.url, token: healthy.token, ca: healthy.ca, namespace: 'apps' },
      { name: CTX.down, server: `https://127.0.0.1:${port}`, token: 'not-used' },
      { name: CTX.badToken, server: incident.url, token: 'wrong-token', ca: incident.ca },
      { name: CTX.noDns, server: 'https://api.no-such-cluster.invalid:6443', token: 'not-used' },
    ],
    { current: CTX.incident },
  );
  return {
    incident,
    healthy,
    kubeconfig,
    bytes: fs.readFileSync(kubeconfig),
    stop: async () => void (await Promise.all([incident.stop(), healthy.stop()])),
  };
}
