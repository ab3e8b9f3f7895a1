import { Worker } from 'node:worker_threads';

/**
 * A worker thread running a module of ours. From the TypeScript sources (tests, tsx) the thread
 * registers tsx's loader before loading the module; from the build it is plain JavaScript.
 */
export function startThread(module: URL, workerData: unknown): Worker {
  if (!module.pathname.endsWith('.ts')) return new Worker(module, { workerData });
  return new Worker(
    `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(module.href)}); });`,
    { eval: true, workerData },
  );
}

/** The sibling module `name` (without extension) of the calling module, in its own language. */
export function siblingModule(callerUrl: string, name: string): URL {
  return new URL(`./${name}.${callerUrl.endsWith('.ts') ? 'ts' : 'js'}`, callerUrl);
}
