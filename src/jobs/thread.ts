import { type ChildProcess, fork, type Serializable } from 'node:child_process';
import { fileURLToPath } from 'node:url';
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

/**
 * A child process running a module of ours, its first message the data it starts on (structured
 * clone, like a thread's). From the TypeScript sources the child loads them through tsx.
 */
export function startChild(module: URL, data: Serializable): ChildProcess {
  const child = fork(fileURLToPath(module), [], {
    execArgv: module.pathname.endsWith('.ts') ? ['--import', 'tsx'] : [],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  child.send(data);
  return child;
}
