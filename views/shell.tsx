// The contract between the app shell and the views.
//
// A view is a component that receives ViewProps, reads the store with `useStore`, and
// handles the keymap actions it cares about with `useViewActions`. Table widgets register
// their cursor movement with the shell themselves (`useNavTarget`), so a view that is "a
// table" needs no key code at all.
import { createContext, useContext, useEffect, useRef } from 'react';
import type { Scope } from '../src/keys/actions.js';
import type { Keymap } from '../src/keys/keymap.js';
import type { ClusterStore } from '../src/store/clusterStore.js';

export interface ViewProps {
  /** The store of the current context (changes identity when the context switches). */
  store: ClusterStore;
  width: number;
  /** Rows the view may use (the shell's header and status line are already taken off). */
  height: number;
  /** Namespace scope: undefined = all namespaces. Watches are cluster-wide; views apply it. */
  namespace: string | undefined;
  /** The text of the `/` filter ('' when none). */
  filter: string;
  /** View options from the command line (e.g. groupBy for the pods view). */
  options: ViewOptions;
}

export interface ViewOptions {
  groupBy?: string;
}

/**
 * Handles a named action; returns true when it did something. Actions come from the view's
 * own keymap scope first, then the global scope (so a view can take `enter` or `back`).
 */
export type ActionHandler = (action: string) => boolean | void;

export interface ConfirmRequest {
  /** What happens, e.g. "Roll back deployment shop/checkout to revision 6". */
  title: string;
  /** The object, e.g. "deployment shop/checkout". */
  object: string;
  /** Extra lines (e.g. what the undo changes). */
  details?: string[];
  onConfirm: () => void | Promise<void>;
  onCancel?: () => void;
}

export interface ShellApi {
  keymap: Keymap;
  readonly: boolean;
  contextName: string;
  /** A message in the status line. */
  notify(text: string, level?: 'info' | 'error'): void;
  /** Ask before a mutation: a dialog naming the object and the context. Refused in --readonly. */
  confirm(req: ConfirmRequest): void;
  /** Switch to another view by registry name. */
  openView(name: string): void;
}

/** Registered handlers; the last registered (innermost, most recently opened) is on top. */
export type HandlerStack = ActionHandler[];

export interface ShellInternals {
  api: ShellApi;
  viewHandlers: HandlerStack;
  navHandlers: HandlerStack;
  /**
   * A keymap scope over the view's own (e.g. `detail` while an object detail is open inside a
   * view): its keys resolve first, help and hints show it. Returns the function that pops it.
   */
  pushScope?: (scope: Scope) => () => void;
}

export const ShellContext = createContext<ShellInternals | null>(null);

function useInternals(): ShellInternals {
  const s = useContext(ShellContext);
  if (!s) throw new Error('kfleet views must be rendered inside the App shell (ShellContext)');
  return s;
}

export function useShell(): ShellApi {
  return useInternals().api;
}

/** Register the active view's action handler (the latest closure is always used). */
export function useViewActions(handler: ActionHandler): void {
  useSlot(useInternals().viewHandlers, handler, true);
}

/** While mounted (and active), keys resolve in `scope` before the view's own section. */
export function useKeyScope(scope: Scope, active = true): void {
  const push = useInternals().pushScope;
  useEffect(() => {
    if (!active || !push) return;
    return push(scope);
  }, [push, scope, active]);
}

/** Register cursor movement (up/down/top/bottom/pageUp/pageDown/enter) of the focused widget. */
export function useNavTarget(handler: ActionHandler, active = true): void {
  useSlot(useInternals().navHandlers, handler, active);
}

function useSlot(stack: HandlerStack, handler: ActionHandler, active: boolean): void {
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    if (!active) return;
    const fn: ActionHandler = (a) => latest.current(a);
    stack.push(fn);
    return () => {
      const i = stack.lastIndexOf(fn);
      if (i >= 0) stack.splice(i, 1);
    };
  }, [stack, active]);
}

/** Offer an action to the top handler of a stack. */
export function offer(stack: HandlerStack, action: string): boolean {
  const top = stack[stack.length - 1];
  return top ? top(action) === true : false;
}
