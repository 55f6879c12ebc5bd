#!/usr/bin/env node
import { runCli } from './run-cli.js';

runCli('isolation-check', 'check');
