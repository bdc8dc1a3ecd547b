import { runCredentialProcess } from './keepalive/credential-process.js';

void runCredentialProcess();
