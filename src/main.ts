import { runMain } from './guard/run.js';

void runMain();
