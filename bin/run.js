#!/usr/bin/env node
// The novalite CLI entry point (compiled code in dist/, commands listed in oclif.manifest.json).
require('@oclif/core').execute({ dir: __dirname });
