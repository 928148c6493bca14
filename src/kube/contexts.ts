// The contexts of the loaded kubeconfig and their connections. Switching context swaps the
// connection the views read; the most recently used ones stay open ("warm") so switching back
// is instant. Nothing here writes to kubeconfig files.
import { configForContext, type ContextInfo, type LoadedKubeconfig } from '../config/kubeconfig.js';
import { KubeClient } from './client.js';
import { ClusterConnection, type ConnectionOptions } from './connection.js';

export interface ContextManagerOptions extends ConnectionOptions {
  /** How many contexts keep their watches open, the current one included. */
  warm?: number;
}

type Listener = (current: string) => void;

export class ContextManager {
  private readonly connections = new Map<string, ClusterConnection>();
  /** Most recently used first. */
  private readonly recent: string[] = [];
  private readonly clients = new Map<string, KubeClient>();
  private readonly listeners = new Set<Listener>();
  private previousName: string | undefined;
  /**
   * The namespace the views show (undefined: all). Watches stay cluster-wide because node
   * allocation and volume conflicts need every pod; the scope is applied by the views.
   */
  namespace: string | undefined;

  constructor(
    readonly kubeconfig: LoadedKubeconfig,
    private readonly opts: ContextManagerOptions = {},
  ) {
    this.namespace = opts.namespace;
  }

  setNamespace(ns: string | undefined): void {
    this.namespace = ns;
    for (const l of this.listeners) l(this.currentName ?? '');
  }

  get contexts(): ContextInfo[] {
    return this.kubeconfig.contexts;
  }

  get currentName(): string | undefined {
    return this.recent[0];
  }

  get previous(): string | undefined {
    return this.previousName;
  }

  get current(): ClusterConnection | undefined {
    return this.currentName ? this.connections.get(this.currentName) : undefined;
  }

  /** The open connection of a context, if it is warm. */
  connection(name: string): ClusterConnection | undefined {
    return this.connections.get(name);
  }

  /** One client per context, cached, so exec plugins and TLS set-up happen once. */
  client(name: string): KubeClient {
    let c = this.clients.get(name);
    if (!c) {
      const { kc } = configForContext(this.kubeconfig, name); // throws ConfigError
      c = new KubeClient(kc, name);
      this.clients.set(name, c);
    }
    return c;
  }

  /** Make `name` the current context. Throws ConfigError for a context kfleet cannot use. */
  switchTo(name: string): ClusterConnection {
    const client = this.client(name);
    if (this.currentName && this.currentName !== name) this.previousName = this.currentName;
    let conn = this.connections.get(name);
    if (!conn) {
      conn = new ClusterConnection(client, { ...this.opts, namespace: undefined });
      this.connections.set(name, conn);
      conn.start();
    }
    const i = this.recent.indexOf(name);
    if (i >= 0) this.recent.splice(i, 1);
    this.recent.unshift(name);
    this.evict();
    for (const l of this.listeners) l(name);
    return conn;
  }

  /** `-`: back to the context before the current one. */
  switchBack(): ClusterConnection | undefined {
    return this.previousName ? this.switchTo(this.previousName) : undefined;
  }

  onSwitch(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  async close(): Promise<void> {
    await Promise.all([...this.connections.values()].map((c) => c.stop()));
    this.connections.clear();
  }

  private evict(): void {
    const warm = Math.max(1, this.opts.warm ?? 3);
    while (this.recent.length > warm) {
      const name = this.recent.pop()!;
      const conn = this.connections.get(name);
      this.connections.delete(name);
      void conn?.stop();
    }
  }
}
