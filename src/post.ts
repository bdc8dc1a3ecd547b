import { runPost } from './keepalive/post.js';

void runPost();
