// The action log: one JSON line per attempted write to a cluster (done, skipped, refused or
// failed), under $XDG_STATE_HOME/kfleet/actions.log. It holds what the operator asked and what
// came of it; never a credential (entries are built from names and messages only, and
// messages are scrubbed once more here).
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { scrubSecrets } from './client.js';

export type ActionOutcome = 'ok' | 'skipped' | 'refused' | 'failed';

export interface ActionLogEntry {
  /** ISO 8601, UTC. */
  time: string;
  /** kubeconfig context the action ran against. */
  context: string;
  /** Action type, e.g. "rolloutUndo", "deletePod", "drain". */
  action: string;
  /** kubectl-style "kind/name", e.g. "deployment/checkout", "node/ip-10-0-1-5". */
  object: string;
  namespace?: string;
  /** Rollout undo: the revision running before, and the one asked for / restored. */
  fromRevision?: number;
  toRevision?: number;
  result: ActionOutcome;
  message: string;
}

/** `$XDG_STATE_HOME/kfleet/actions.log`; the XDG spec says a relative value is ignored. */
export function actionLogPath(env: NodeJS.ProcessEnv = process.env): string {
  const state = env.XDG_STATE_HOME && isAbsolute(env.XDG_STATE_HOME) ? env.XDG_STATE_HOME : join(env.HOME || homedir(), '.local', 'state');
  return join(state, 'kfleet', 'actions.log');
}

export class ActionLog {
  readonly path: string;

  constructor(opts: { path?: string; env?: NodeJS.ProcessEnv } = {}) {
    this.path = opts.path ?? actionLogPath(opts.env);
  }

  /**
   * Append one entry. Synchronous on purpose: a line per operator action is cheap, and the line
   * is on disk before the result is shown (and before a crash could lose it). Returns an error
   * message instead of throwing, so a full disk never turns a done action into a failed one.
   */
  append(entry: ActionLogEntry): string | undefined {
    const line = JSON.stringify({ ...entry, message: scrubSecrets(entry.message) }) + '\n';
    try {
      mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
      appendFileSync(this.path, line, { mode: 0o600 });
      return undefined;
    } catch (e) {
      return `could not write the action log ${this.path}: ${(e as Error).message}`;
    }
  }

  /** All entries, oldest first (unparsable lines are skipped). */
  read(): ActionLogEntry[] {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch {
      return [];
    }
    const out: ActionLogEntry[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        out.push(JSON.parse(line) as ActionLogEntry);
      } catch {
        // a torn last line after a crash: ignore it
      }
    }
    return out;
  }
}
