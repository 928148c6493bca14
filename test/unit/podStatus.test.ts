import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { podDisplayStatus, podProblem } from '../../src/model/podStatus.js';
import { pod } from './modelFixtures.js';

const running = { running: { startedAt: '2024-01-01T00:00:00Z' } };

describe('podDisplayStatus (kubectl STATUS / READY / RESTARTS)', () => {
  test('running and ready', () => {
    const p = pod({ name: 'p', containers: [{ name: 'a' }, { name: 'b' }], ready: true, status: {
      containerStatuses: [{ name: 'a', ready: true, restartCount: 1, state: running }, { name: 'b', ready: true, restartCount: 2, state: running }],
    } });
    const s = podDisplayStatus(p);
    assert.deepEqual([s.reason, s.readyContainers, s.totalContainers, s.restarts, s.ready], ['Running', 2, 2, 3, true]);
  });

  test('a waiting container reason wins: CrashLoopBackOff', () => {
    const p = pod({ name: 'p', containers: [{ name: 'a' }, { name: 'b' }], ready: false, status: {
      containerStatuses: [
        { name: 'a', ready: false, restartCount: 7, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, finishedAt: '2024-01-01T00:05:00Z' } } },
        { name: 'b', ready: true, restartCount: 0, state: running },
      ],
    } });
    const s = podDisplayStatus(p);
    assert.deepEqual([s.reason, s.readyContainers, s.restarts, s.lastRestartAt], ['CrashLoopBackOff', 1, 7, '2024-01-01T00:05:00Z']);
    assert.equal(podProblem(s.reason), 'CrashLoopBackOff');
  });

  test('init containers: Init:i/n, Init:<reason>, and sidecars counted in READY', () => {
    const p = pod({ name: 'p', phase: 'Pending', init: [{ name: 'i0' }, { name: 'side', sidecar: true }, { name: 'i2' }], containers: [{ name: 'app' }], status: {
      initContainerStatuses: [
        { name: 'i0', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
        { name: 'side', ready: true, started: true, restartCount: 0, state: running },
        { name: 'i2', ready: false, restartCount: 0, state: { running: {} } },
      ],
      containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } }],
    } });
    const s = podDisplayStatus(p);
    assert.deepEqual([s.reason, s.readyContainers, s.totalContainers], ['Init:2/3', 1, 2]);
    const q = pod({ name: 'q', phase: 'Pending', init: [{ name: 'i0' }], status: {
      initContainerStatuses: [{ name: 'i0', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff' } } }],
    } });
    assert.equal(podDisplayStatus(q).reason, 'Init:ImagePullBackOff');
    assert.equal(podProblem('Init:ImagePullBackOff'), 'ImagePullBackOff');
    assert.equal(podProblem('ErrImagePull'), 'ImagePullBackOff');
  });

  test('terminated containers, Completed, Terminating', () => {
    const done = pod({ name: 'd', phase: 'Succeeded', status: { containerStatuses: [{ name: 'c0', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] } });
    assert.equal(podDisplayStatus(done).reason, 'Completed');
    const exit = pod({ name: 'e', phase: 'Failed', status: { containerStatuses: [{ name: 'c0', ready: false, restartCount: 0, state: { terminated: { exitCode: 3 } } }] } });
    assert.equal(podDisplayStatus(exit).reason, 'ExitCode:3');
    const term = pod({ name: 't' });
    term.metadata.deletionTimestamp = '2024-01-01T00:00:00Z';
    assert.equal(podDisplayStatus(term).reason, 'Terminating');
    const pending = pod({ name: 'p', phase: 'Pending' });
    assert.equal(podDisplayStatus(pending).reason, 'Pending');
  });
});
