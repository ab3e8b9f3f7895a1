#!/usr/bin/env node
// `npm start` builds only when a source changed since the last build: a restart on a current
// build goes straight to the server. The stamp holds the newest source time the build saw.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SOURCES = [
  'src',
  'web/src',
  'web/index.html',
  'web/vite.config.ts',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
];
const STAMP = 'dist/.build-stamp';

function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newest(join(path, name))), stat.mtimeMs);
}

const sources = Math.max(...SOURCES.map(newest));
const built =
  existsSync(STAMP) && existsSync('web/dist/index.html') ? Number(readFileSync(STAMP, 'utf8')) : 0;
if (built >= sources) {
  process.stderr.write('build is current: starting\n');
} else {
  execSync('npm run build', { stdio: 'inherit' });
  writeFileSync(STAMP, String(sources));
}
