export { type HeaderInit, HeaderList } from './header-list.js';
export { InvalidHeaderError } from './invalid-header-error.js';
export { asciiLower, fieldValueProblem, isToken, isTokenChar, trimOws } from './syntax.js';
export { type Parsed, parsedInvalid, parsedOk } from './parsed.js';
