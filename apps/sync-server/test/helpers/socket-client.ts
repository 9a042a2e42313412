// A real socket.io client for the user-addressed API: requests with acknowledgement callbacks, and a log
// of every callout/role notice it received, directly or in a board's digest.
import { io, type Socket } from 'socket.io-client';
import { HttpPaths, SocketEvents, type CalloutDigest, type CalloutNotice, type Reply, type RoleAssignment } from '@redstring/model';
import { onTestFinished } from 'vitest';
import { waitFor } from './board-client';

export class TestSocket {
  readonly socket: Socket;
  /** Every callout notice heard, those at once and those in digests, in arrival order. */
  readonly notices: CalloutNotice[] = [];
  /** Only those that came at once (callout:changed). */
  readonly directNotices: CalloutNotice[] = [];
  readonly digests: CalloutDigest[] = [];
  readonly roleChanges: RoleAssignment[] = [];

  constructor(baseUrl: string, sessionToken: string, options: { origin?: string } = {}) {
    this.socket = io(baseUrl, {
      path: HttpPaths.socketIo,
      auth: { sessionToken },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      ...(options.origin ? { extraHeaders: { origin: options.origin } } : {}),
    });
    this.socket.on(SocketEvents.calloutChanged, (notice: CalloutNotice) => {
      this.directNotices.push(notice);
      this.notices.push(notice);
    });
    this.socket.on(SocketEvents.calloutDigest, (digest: CalloutDigest) => {
      this.digests.push(digest);
      this.notices.push(...digest.notices);
    });
    this.socket.on(SocketEvents.roleChanged, (record: RoleAssignment) => this.roleChanges.push(record));
    onTestFinished(() => {
      this.socket.disconnect();
    });
  }

  connected(): Promise<void> {
    if (this.socket.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.socket.once('connect', () => resolve());
      this.socket.once('connect_error', (error) => reject(error));
    });
  }

  request<T>(event: string, payload: unknown): Promise<Reply<T>> {
    return this.socket.timeout(10_000).emitWithAck(event, payload) as Promise<Reply<T>>;
  }

  /** Like request, but fails the test unless the reply is ok. */
  async ok<T>(event: string, payload: unknown): Promise<T> {
    const reply = await this.request<T>(event, payload);
    if (!reply.ok) throw new Error(`${event} failed: ${reply.error.code}: ${reply.error.message}`);
    return reply.value;
  }

  waitForNotice(predicate: (n: CalloutNotice) => boolean, timeoutMs = 5000): Promise<CalloutNotice> {
    return waitFor(() => this.notices.find(predicate), timeoutMs, 'callout notice');
  }
}

export async function connectSocket(baseUrl: string, sessionToken: string): Promise<TestSocket> {
  const socket = new TestSocket(baseUrl, sessionToken);
  await socket.connected();
  return socket;
}
