import { runServer } from './keepalive/server-main.js';

void runServer();
