#!/usr/bin/env node
// Development entry point: rebuild with `npm run build`, then run like bin/run.js with debug on.
require('@oclif/core').execute({ development: true, dir: __dirname });
