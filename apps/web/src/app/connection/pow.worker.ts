/// <reference lib="webworker" />
import { runPowSearch } from './pow-search';
import type { PowWorkerReply, PowWorkerRequest } from './pow-worker-messages';

// One challenge per worker: the page starts a worker per proof and terminates it after.
addEventListener('message', (event: MessageEvent<PowWorkerRequest>) => {
  runPowSearch(event.data, (reply: PowWorkerReply) => postMessage(reply));
});
