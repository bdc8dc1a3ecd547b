import { runMain } from './main-step.js';

void runMain();
