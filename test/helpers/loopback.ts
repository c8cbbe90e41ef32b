/** Test servers on 127.0.0.1 only, on a free port, each stopped by the test that started it. */
import type { Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';

/** A listening server's address and how to stop it. */
export interface Listening {
  readonly port: number;
  readonly url: string;
  stop(): Promise<void>;
}

/** Listens on 127.0.0.1 on a free port (http or https: the URL says which). */
export async function listenOnLoopback(
  server: HttpServer | HttpsServer,
  scheme: 'http' | 'https' = 'http',
): Promise<Listening> {
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    url: `${scheme}://127.0.0.1:${port}`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((closed) => server.close(() => closed()));
    },
  };
}
