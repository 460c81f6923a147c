export { type FetchFunction, toFetch } from './to-fetch.js';
export { fromFetch } from './from-fetch.js';
