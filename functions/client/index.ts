/** Clients for services that publish to Switchboard or manage its customers. */
export * from './api-client';
export * from './publish-message';
export * from './sigv4-signer';
