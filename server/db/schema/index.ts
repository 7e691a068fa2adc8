export * from './core';
export * from './billing';
export * from './auth';
export * from './alerts';
export * from './cost';
