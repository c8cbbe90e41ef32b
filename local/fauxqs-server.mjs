// Runs the fauxqs SQS/SNS emulator on 127.0.0.1 and a free port, in its own process so that the
// harness can stop it by process id. fauxqs is ESM-only and its startFauxqs() listens on every
// interface, so this builds the app and binds it to the loopback address itself.
import { buildApp } from 'fauxqs';

// fauxqs names queues `http://sqs.<region>.localhost:<port>/…` unless its store has no host, and
// `*.localhost` does not resolve everywhere. With an empty host it uses the address the client
// called (http://127.0.0.1:<port>/…). The stores are not exported by name, so load them by path.
const dist = import.meta.resolve('fauxqs');
const { SqsStore } = await import(new URL('./sqs/sqsStore.js', dist).href);
const { SnsStore } = await import(new URL('./sns/snsStore.js', dist).href);
const { S3Store } = await import(new URL('./s3/s3Store.js', dist).href);
const region = process.env.SWITCHBOARD_REGION ?? 'us-east-1';
const sqsStore = new SqsStore();
sqsStore.host = '';
sqsStore.region = region;
const snsStore = new SnsStore();
snsStore.region = region;

const app = buildApp({
  logger: false,
  defaultRegion: region,
  stores: { sqsStore, snsStore, s3Store: new S3Store() },
});
const address = await app.listen({
  host: '127.0.0.1',
  port: Number(process.env.SWITCHBOARD_FAUXQS_PORT ?? 0),
});
process.stdout.write(`SWITCHBOARD_FAUXQS_LISTENING ${address}\n`);

const stop = () => {
  app.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// When the parent dies without stopping us, do not linger.
process.stdin.on('end', stop);
process.stdin.resume();
