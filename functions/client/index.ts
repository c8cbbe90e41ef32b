/** Clients for services that publish to Switchboard. */
export * from './publish-message';
