/** A real local webhook receiver: answers VERIFY like an app using the official SDK, and records deliveries. */
import { createServer, type Server } from 'node:http';
import smartcar from 'smartcar';

const sdk = smartcar as unknown as {
  hashChallenge(amt: string, challenge: string): string;
  verifyPayload(amt: string, signature: string, body: unknown): boolean;
};

export interface Delivery {
  body: Record<string, unknown>;
  raw: string;
  signature: string | undefined;
  /** What the SDK's verifyPayload says of the signature. */
  verified: boolean;
}

export interface Receiver {
  url: string;
  deliveries: Delivery[];
  /** How to answer VERIFY: the right hash, a wrong one, or an HTTP error. */
  verifyMode: 'right' | 'wrong' | 'error';
  /** Status for data deliveries (503 simulates an outage, 410 unsubscribes). */
  deliveryStatus: number;
  /** How long the receiver takes to answer a data delivery, ms. */
  responseDelayMs: number;
  /** Deliveries received but not answered yet. */
  inFlight: number;
  close(): Promise<void>;
}

export async function startReceiver(managementToken: () => string): Promise<Receiver> {
  const receiver: Receiver = { url: '', deliveries: [], verifyMode: 'right', deliveryStatus: 200, responseDelayMs: 0, inFlight: 0, close: async () => {} };
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8').on('data', (chunk: string) => { raw += chunk; }).on('end', () => {
      const body = JSON.parse(raw) as Record<string, unknown>;
      const signature = req.headers['sc-signature'] as string | undefined;
      receiver.deliveries.push({ body, raw, signature, verified: signature !== undefined && sdk.verifyPayload(managementToken(), signature, body) });
      // v2.0 sends {eventName: "verify", payload: {challenge}}; v4.0 {eventType: "VERIFY", data: {challenge}}.
      if (body.eventName === 'verify' || body.eventType === 'VERIFY') {
        if (receiver.verifyMode === 'error') return res.writeHead(500).end();
        const challenge = ((body.payload ?? body.data) as { challenge: string }).challenge;
        const answer = receiver.verifyMode === 'right' ? sdk.hashChallenge(managementToken(), challenge) : 'nope';
        return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ challenge: answer }));
      }
      receiver.inFlight += 1;
      setTimeout(() => {
        receiver.inFlight -= 1;
        res.writeHead(receiver.deliveryStatus).end();
      }, receiver.responseDelayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  receiver.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hooks`;
  receiver.close = () => new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return receiver;
}
