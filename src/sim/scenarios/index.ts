// Scenario registry: a scenario fills a fresh Store with objects (no history).
import type { Store } from '../store.js';
import { generated } from './generated.js';
import { incident } from './incident.js';
import { empty, healthy, small } from './small.js';

export const SCENARIOS = ['incident', 'healthy', 'small', 'empty', 'generated'] as const;

export function loadScenario(store: Store, opts: { scenario?: string; nodes?: number; pods?: number }): void {
  switch (opts.scenario ?? 'incident') {
    case 'incident': return incident(store);
    case 'healthy': return healthy(store);
    case 'small': return small(store);
    case 'empty': return empty(store);
    case 'generated': return generated(store, opts);
    default: throw new Error(`unknown scenario "${opts.scenario}" (known: ${SCENARIOS.join(', ')})`);
  }
}
