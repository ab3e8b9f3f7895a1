#!/usr/bin/env node
// The CLI is compiled to dist/ by `npm run build` (npm start and npm test run it).
import '../dist/cli/main.js';
