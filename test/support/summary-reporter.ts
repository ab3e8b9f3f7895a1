import type { Reporter, TestModule } from 'vitest/node';

/**
 * Ends the run with a plain `N passed, N failed, N skipped` line that any CI log reader
 * understands, after Vitest's own summary. A file that failed outside its tests (a `beforeAll`
 * that threw) leaves its tests skipped: it is named, so the line never reads as a clean run.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const count = { passed: 0, failed: 0, skipped: 0 };
    const brokenFiles: string[] = [];
    for (const module of testModules) {
      if (module.state() === 'failed' && module.children.allTests('failed').next().done)
        brokenFiles.push(module.moduleId);
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') count.passed += 1;
        else if (state === 'failed') count.failed += 1;
        else count.skipped += 1;
      }
    }
    const broken = brokenFiles.length > 0 ? `; failed outside its tests: ${brokenFiles.join(', ')}` : '';
    process.stdout.write(
      `\n${count.passed} passed, ${count.failed} failed, ${count.skipped} skipped${broken}\n`,
    );
  }
}
