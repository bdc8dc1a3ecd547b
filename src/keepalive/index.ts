/** What the guard's main step loads, lazily and as one chunk, when keep-alive is involved. */
export { keepAlive } from './keep-alive.js';
export { checkRunningServer } from './status.js';
