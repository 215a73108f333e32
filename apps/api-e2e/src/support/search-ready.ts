import type { Envelope, HealthDto } from '@mpqcht/protocol';
import type { ApiProcess } from '@mpqcht/test-harness';

/**
 * Resolves once `/api/health` says the search index is complete (the api builds it after start,
 * in the background: docs/operations.md, Search index); fails after `timeoutMs`.
 */
export async function searchIndexReady(api: ApiProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`${api.url}/api/health`);
    const body = (await response.json()) as Envelope<HealthDto>;
    if (body.ok && body.data.search === 'ready') return;
    if (Date.now() > deadline) throw new Error(`the search index is not ready: ${JSON.stringify(body)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
