import { run } from './main-run.js';

void run();
