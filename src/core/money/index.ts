export * from './allocate.js';
export * from './currency.js';
export * from './fx.js';
export * from './money.js';
export * from './parse.js';
export * from './rounding.js';
