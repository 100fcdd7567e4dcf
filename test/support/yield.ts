// Between two tests the worker gives the event loop one turn. Without it a file of long
// synchronous tests (spawnSync, big loops) chained through promises leaves vitest's worker RPC
// unanswered for minutes under load, and vitest fails the run with "Timeout calling onTaskUpdate"
// (its RPC timeout is 60 s) although every test passed.
import { afterEach } from "vitest";

afterEach(() => new Promise<void>((resolve) => setImmediate(resolve)));
