// Shared set-up of the incident-toolkit view tests: the App with the real pod list and
// events views, a fake Actions that records what would run, and a fake log client.
import React from 'react';
import { render } from 'ink-testing-library';
import { loadKeymap } from '../../src/keys/keymap.js';
import { describeAction, type Action, type Actions } from '../../src/kube/actions.js';
import type { LogClient } from '../../src/kube/logs.js';
import type { KubeEvent, Pod } from '../../src/kube/types.js';
import { App } from '../../views/App.js';
import { ActionsContext } from '../../views/actionsContext.js';
import { VIEWS } from '../../views/registry.js';
import { FakeContexts, pod, tick } from './fixtures.js';

export const ESC = '\x1b';
export const keymap = loadKeymap();

/** A pod with labels, image and owner (the fixtures' pod plus what the filter and actions read). */
export function richPod(ns: string, name: string, o: { labels?: Record<string, string>; image?: string; node?: string; owner?: { kind: string; name: string }; waiting?: string; containers?: string[] } = {}): Pod {
  const p = pod(ns, name, { node: o.node, waiting: o.waiting, ready: !o.waiting });
  p.metadata.labels = o.labels;
  if (o.owner) p.metadata.ownerReferences = [{ kind: o.owner.kind, name: o.owner.name, uid: `uid-${o.owner.name}`, controller: true }];
  p.spec.containers = (o.containers ?? ['app']).map((c) => ({ name: c, image: o.image ?? 'registry.example.com/app:1.0' }));
  return p;
}

export function event(ns: string, name: string, o: { kind?: string; obj: string; objNs?: string; reason: string; type?: string; count?: number; ago: number; message?: string; uid?: string }): KubeEvent {
  const last = new Date(Date.now() - o.ago * 1000).toISOString();
  return {
    metadata: { name, namespace: ns, uid: `ev-${name}`, resourceVersion: '1' },
    involvedObject: { kind: o.kind ?? 'Pod', namespace: o.objNs ?? (o.kind === 'Node' ? undefined : ns), name: o.obj, uid: o.uid },
    reason: o.reason,
    type: o.type ?? 'Warning',
    count: o.count ?? 1,
    lastTimestamp: last,
    firstTimestamp: last,
    message: o.message ?? `${o.reason} happened`,
    source: { component: 'kubelet' },
  };
}

export class FakeActions {
  ran: Action[] = [];
  constructor(
    readonly contextName: string,
    readonly readonly = false,
    readonly client: LogClient = { raw: () => new Promise(() => undefined) },
  ) {}
  describeAction(a: Action) {
    return describeAction(a, this.contextName, { readonly: this.readonly });
  }
  async run(a: Action) {
    this.ran.push(a);
    return { ok: true, message: `${a.type} done` };
  }
}

export function mountApp(opts: { contexts: FakeContexts; view?: string; readonly?: boolean; width?: number; height?: number; actions?: FakeActions }) {
  const actions = opts.actions ?? new FakeActions(opts.contexts.currentName ?? '', opts.readonly);
  const r = render(
    <ActionsContext.Provider value={actions as unknown as Actions}>
      <App views={VIEWS} contexts={opts.contexts} keymap={keymap} width={opts.width ?? 120} height={opts.height ?? 24} readonly={opts.readonly} initialView={opts.view ?? 'podlist'} onExit={() => undefined} />
    </ActionsContext.Provider>,
  );
  return { ...r, actions, screen: () => r.lastFrame() ?? '' };
}

/** Type keys one at a time, giving Ink a frame each (a lone ESC needs longer). */
export async function type(stdin: { write(s: string): void }, ...keys: string[]) {
  for (const k of keys) {
    stdin.write(k);
    await tick(k === ESC ? 60 : 40);
  }
}
