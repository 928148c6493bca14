// The volumes view's data path against the embedded cluster: the incident scenario's volume
// conflicts reach the view's selector through a real ClusterConnection (list + watch over
// HTTP), and the view's fix (delete the holding pod, through Actions) clears the conflict once
// the server's state changes. kubectl, an independent client, confirms the server side.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configForContext, loadKubeconfig } from '../../src/config/kubeconfig.js';
import { ActionLog } from '../../src/kube/actionLog.js';
import { Actions, READONLY_MESSAGE } from '../../src/kube/actions.js';
import { KubeClient } from '../../src/kube/client.js';
import { ClusterConnection } from '../../src/kube/connection.js';
import { startSim, type SimHandle } from '../../src/sim/launch.js';
import { VolumesSelector, type VolumesData } from '../../views/selectors/volumes.js';
import { firstActionFix, toAction } from '../../views/VolumesView.js';
import { kubectl } from '../helpers/sim.js';

const CART_PV = 'pvc-4f1c2d3e-0a1b-4c5d-8e9f-1a2b3c4d5e6f';
const REPORTS_PV = 'pvc-9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a';

let sim: SimHandle;
let conn: ClusterConnection;
let logDir: string;
const selector = new VolumesSelector();
let data: VolumesData;

function clientFor(s: SimHandle): KubeClient {
  const { kc } = configForContext(loadKubeconfig({ explicitPath: s.kubeconfigPath }), s.context);
  return new KubeClient(kc, s.context);
}

async function until<T>(what: string, fn: () => T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}; conflicts: ${JSON.stringify(data?.conflicts.map((c) => c.id))}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const cartRow = () => data.conflicts.find((c) => c.pvc?.name === 'cart-data');

before(async () => {
  sim = await startSim({ scenario: 'incident' });
  conn = new ClusterConnection(clientFor(sim), { metricsIntervalMs: 60_000 });
  // The selector runs on the store's change notices, as the view's useStore does.
  data = selector.select(conn.store, undefined);
  conn.store.subscribe((b) => (data = selector.select(conn.store, b)));
  conn.start();
  const kinds = ['pods', 'events', 'nodes', 'persistentvolumeclaims', 'persistentvolumes', 'volumeattachments', 'storageclasses', 'replicasets', 'deployments'] as const;
  await until('the store to sync', () => kinds.every((k) => conn.store.state(k).phase === 'synced'));
  // Notices trail the store by up to one interval: deliver them, so the selector has seen
  // every object the store now holds.
  conn.store.flush();
  logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfleet-vol-'));
});

after(async () => {
  await conn?.stop();
  await sim?.stop();
  if (logDir) fs.rmSync(logDir, { recursive: true, force: true });
});

describe('volumes view data against the embedded cluster', () => {
  test('the incident scenario: two conflicts, worst (longest waiting) first, as in the scenario', async () => {
    await until('both conflicts', () => data.conflicts.length >= 2);
    assert.deepEqual(
      data.conflicts.map((c) => c.id),
      [`pv:${CART_PV}`, `pv:${REPORTS_PV}`],
    );
    const cart = data.conflicts[0]!;
    assert.equal(cart.pv, CART_PV);
    assert.deepEqual(cart.pvc, { namespace: 'shop', name: 'cart-data' });
    assert.equal(cart.accessMode, 'ReadWriteOnce');
    assert.equal(cart.storageClass, 'gp3');
    assert.equal(cart.driver, 'ebs.csi.aws.com');
    assert.equal(cart.holder.node, 'worker-a');
    assert.equal(cart.holder.nodeReady, true);
    assert.deepEqual(cart.holder.pods.map((p) => [p.name.replace(/^cart-[a-z0-9]+-/, 'cart-*-'), p.node, p.state]), [['cart-*-hq7xk', 'worker-a', 'Running']]);
    assert.deepEqual(cart.waiting.map((p) => [p.name.replace(/^cart-[a-z0-9]+-/, 'cart-*-'), p.node, p.state]), [['cart-*-m4v9t', 'worker-b', 'ContainerCreating']]);
    assert.equal(cart.eventCount, 14 + 15); // FailedAttachVolume x14 + FailedMount x15
    assert.deepEqual(cart.owner, { kind: 'Deployment', namespace: 'shop', name: 'cart' });
    assert.deepEqual(cart.evidence.attachments.map((a) => [a.spec.nodeName, a.spec.source.persistentVolumeName, a.status?.attached]), [['worker-a', CART_PV, true]]);
    assert.deepEqual(cart.evidence.nodesInUse, ['worker-a']);
    // The first fix is the holder pod's deletion.
    const fix = firstActionFix(cart)!;
    assert.deepEqual(fix.action, { type: 'delete-pod', namespace: 'shop', name: cart.holder.pods[0]!.name });
    assert.match(fix.text, /^old pod cart-[a-z0-9]+-hq7xk on worker-a still running: deleting it frees the volume$/);

    const reports = data.conflicts[1]!;
    assert.deepEqual(reports.pvc, { namespace: 'analytics', name: 'reports-cache' });
    assert.equal(reports.holder.node, 'worker-e');
    assert.equal(reports.holder.nodeReady, false);
    assert.deepEqual(reports.holder.pods, []);
    assert.equal(reports.holder.note, 'no pod: stale attachment');
    assert.deepEqual(reports.waiting.map((p) => [p.name.replace(/^reports-[a-z0-9]+-/, 'reports-*-'), p.node]), [['reports-*-t8w2n', 'worker-c']]);
    assert.deepEqual(firstActionFix(reports)!.action, { type: 'delete-volumeattachment', name: reports.holder.attachment });

    // Risks: shop/cart (RollingUpdate, RWO); analytics/reports uses Recreate and 1 replica.
    assert.deepEqual(data.risks.map((r) => `${r.namespace}/${r.name}:${r.pvc}:${r.accessMode}`), ['shop/cart:cart-data:ReadWriteOnce']);
  });

  test('in --readonly the fix is refused without touching the cluster', async () => {
    const cart = cartRow()!;
    const ro = new Actions({ client: conn.client, contextName: sim.context, readonly: true, log: new ActionLog({ path: path.join(logDir, 'ro.log') }) });
    const r = await ro.run(toAction(firstActionFix(cart)!.action));
    assert.equal(r.ok, false);
    assert.equal(r.message, READONLY_MESSAGE);
    const holder = cart.holder.pods[0]!.name;
    assert.equal((await kubectl(sim.kubeconfigPath, ['get', 'pod', holder, '-n', 'shop', '-o', 'name'])).trim(), `pod/${holder}`);
  });

  test("the fix (delete the holding pod) clears the conflict once the server's state changes", async () => {
    const cart = cartRow()!;
    const holder = cart.holder.pods[0]!.name;
    const waiter = cart.waiting[0]!.name;
    const actions = new Actions({ client: conn.client, contextName: sim.context, readonly: false, log: new ActionLog({ path: path.join(logDir, 'rw.log') }) });
    const r = await actions.run(toAction(firstActionFix(cart)!.action));
    assert.equal(r.ok, true, r.message);
    assert.equal(r.message, `pod "${holder}" deleted`);

    // Wait on the store: the conflict row goes away when the watch brings the new state.
    await until('the shop/cart-data conflict to clear', () => !cartRow(), 30_000);
    // The analytics one (stale attachment on a NotReady node) is untouched.
    assert.deepEqual(data.conflicts.map((c) => c.id), [`pv:${REPORTS_PV}`]);
    // The server agrees (kubectl as the independent client): the waiting pod runs on worker-b,
    // where the volume is now attached.
    const phase = await kubectl(sim.kubeconfigPath, ['get', 'pod', waiter, '-n', 'shop', '-o', 'jsonpath={.status.phase} {.spec.nodeName}']);
    assert.equal(phase, 'Running worker-b');
    const vas = await kubectl(sim.kubeconfigPath, ['get', 'volumeattachments', '-o', `jsonpath={range .items[?(@.spec.source.persistentVolumeName=="${CART_PV}")]}{.spec.nodeName}{"\\n"}{end}`]);
    assert.deepEqual(vas.trim().split('\n'), ['worker-b']);
    // And the action log has the line.
    const log = new ActionLog({ path: path.join(logDir, 'rw.log') }).read();
    assert.deepEqual(log.map((e) => [e.action, e.object, e.namespace, e.result, e.context]), [['deletePod', `pod/${holder}`, 'shop', 'ok', sim.context]]);
  });
});

