/**
 * Templates: one message per purpose, rendered for every channel and language from Liquid files.
 * Pure domain code; loading the files is the job of adapters/files/template-files.ts.
 */
export * from './channel-rules';
export * from './check-templates';
export * from './html-to-text';
export * from './locale-fallback';
export * from './template-compiler';
export * from './template-renderer';
export * from './template-set';
