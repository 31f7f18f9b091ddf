#!/usr/bin/env node
// The installed `client-reset` command: the TypeScript entry point, run through tsx.
import { register } from 'tsx/esm/api';

register();
await import('./client-reset.ts');
