#!/usr/bin/env node
// The charms command for those that name this file (the repository's tests, scripts and
// docs): bin/charms.cjs, the package's bin, does the work. Starting from here costs Node's
// ES module loader (some 16 ms) on top.
import { createRequire } from 'node:module';

createRequire(import.meta.url)('./charms.cjs');
