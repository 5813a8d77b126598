import { join } from 'node:path';
import { DIST_DIR } from '../common/env';
import { captureOutput, spawnNode, stop, track } from '../common/proc';
import type { LoadOptions, LoadResult } from './loadgen';

/** Runs autocannon in its own process pinned to `cpu`; resolves with its result. */
export function runLoad(options: LoadOptions, cpu: number | undefined): Promise<LoadResult> {
  const child = track(
    spawnNode(join(DIST_DIR, 'http', 'loadgen.js'), [JSON.stringify(options)], cpu, {
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  let result: LoadResult | undefined;
  const out = captureOutput(child, (line) => {
    if (line.startsWith('RESULT ')) result = JSON.parse(line.slice(7)) as LoadResult;
  });
  const timeoutMs = (options.duration + 30) * 1000;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop(child, 1000);
      reject(new Error(`load generator did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0 && result) resolve(result);
      else reject(new Error(`load generator failed (code ${code})\n${out.stderrTail()}`));
    });
  });
}
