// Parsing list pages on this thread. Pages are small (the reflector asks for 100 objects:
// ~0.3 MB of pods JSON, ~10-20 ms to parse and lean), so the UI draws between them, and each
// page's text and raw objects die young. A list worker thread parsed 500-pod pages here before:
// at 150,000 pods it cost ~65 MB of peak memory (its own heap) and ~0.25 s before the first
// page, for ~3 s less to sync; measured, and removed (README "Performance").
import { describeBody } from './client.js';
import { parseListPage, type LeanPage } from './listPage.js';
import { ByteScratch } from './byteScratch.js';
import { withoutManagedFields } from './managedFields.js';
import type { ResourceKind } from './types.js';

const decoder = new TextDecoder();
/** A page without its managedFields, decoded at once: one buffer for every page. */
const cutPage = new ByteScratch();

/** The list page in `body`, parsed and leaned. Throws ListPageError for a malformed page. */
export function parsePage<K extends ResourceKind>(kind: K, body: Uint8Array): LeanPage<K> {
  return parseListPage(kind, decoder.decode(withoutManagedFields(body, cutPage)), describeBody);
}

/** The `continue` token from the first bytes of a list answer (its metadata comes first). */
export function peekContinue(body: Uint8Array): string | undefined {
  const head = decoder.decode(body.subarray(0, 4096));
  return /"continue"\s*:\s*"([^"\\]+)"/.exec(head)?.[1];
}
