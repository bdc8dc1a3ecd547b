import { runServerProcess } from './keepalive/server-process.js';

void runServerProcess();
