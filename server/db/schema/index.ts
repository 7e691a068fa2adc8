export * from './core';
export * from './billing';
