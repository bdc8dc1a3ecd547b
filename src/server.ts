import { runServerProcess } from './keepalive/server-wiring.js';

void runServerProcess();
