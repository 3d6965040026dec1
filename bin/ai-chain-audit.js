#!/usr/bin/env node
// The registry document worker starts loading while the rest of the command line does (see cli/preload.ts).
import { preloadForArgs } from '../dist/bin/preload.js';

preloadForArgs(process.argv.slice(2), process.env);
const { main } = await import('../dist/bin/main.js');
main();
