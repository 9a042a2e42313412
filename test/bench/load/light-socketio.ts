// A light socket.io client: the Engine.IO v4 / Socket.IO v5 wire protocol spoken directly over a `ws`
// WebSocket, without socket.io-client's decoder, event emitter and reconnection machinery. A thousand
// of them fit on a fraction of one core, where a thousand socket.io-client instances each parsing every
// notice took most of it. Notices are counted as text; only those that may concern this socket's user
// (the server marks them `"forYou":true`) are parsed.
import WebSocket from 'ws';

const ENGINE_OPEN = '0';
const ENGINE_PING = '2';
const ENGINE_PONG = '3';
const ENGINE_MESSAGE = '4';
const SOCKET_CONNECT = '0';
const SOCKET_EVENT = '2';
const SOCKET_ACK = '3';
const SOCKET_CONNECT_ERROR = '4';

export class LightSocketIo {
  /** Event packets received, whatever their event. */
  events = 0;
  /** Called with the parsed [event, payload] of event packets whose text contains `"forYou":true`. */
  onForYou: ((event: string, payload: unknown) => void) | null = null;
  private readonly ws: WebSocket;
  private nextAckId = 0;
  private readonly acks = new Map<number, (reply: unknown) => void>();

  private constructor(ws: WebSocket) {
    this.ws = ws;
  }

  /** Opens the WebSocket transport and connects to the main namespace with the session token. */
  static connect(httpUrl: string, path: string, sessionToken: string, timeoutMs = 30_000): Promise<LightSocketIo> {
    const url = `${httpUrl.replace(/^http/, 'ws')}${path.endsWith('/') ? path : `${path}/`}?EIO=4&transport=websocket`;
    const ws = new WebSocket(url, { perMessageDeflate: false });
    const client = new LightSocketIo(ws);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('socket.io connect timed out')), timeoutMs);
      ws.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      ws.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
        if (isBinary) return;
        const text = data.toString();
        if (text[0] === ENGINE_OPEN) {
          ws.send(`${ENGINE_MESSAGE}${SOCKET_CONNECT}${JSON.stringify({ sessionToken })}`);
        } else if (text[0] === ENGINE_PING) {
          ws.send(ENGINE_PONG);
        } else if (text[0] === ENGINE_MESSAGE) {
          if (text[1] === SOCKET_CONNECT) {
            clearTimeout(timer);
            resolve(client);
          } else if (text[1] === SOCKET_CONNECT_ERROR) {
            clearTimeout(timer);
            reject(new Error(`socket.io connect refused: ${text.slice(2)}`));
          } else {
            client.handlePacket(text);
          }
        }
      });
    });
  }

  /** Emits `event` with an acknowledgement callback and resolves with the server's reply. */
  request<T>(event: string, payload: unknown): Promise<T> {
    const id = this.nextAckId++;
    return new Promise((resolve) => {
      this.acks.set(id, resolve as (reply: unknown) => void);
      this.ws.send(`${ENGINE_MESSAGE}${SOCKET_EVENT}${id}${JSON.stringify([event, payload])}`);
    });
  }

  close(): void {
    this.ws.close();
  }

  private handlePacket(text: string): void {
    if (text[1] === SOCKET_EVENT) {
      this.events++;
      if (this.onForYou && text.includes('"forYou":true')) {
        const [event, payload] = JSON.parse(text.slice(2)) as [string, unknown];
        this.onForYou(event, payload);
      }
    } else if (text[1] === SOCKET_ACK) {
      const bracket = text.indexOf('[');
      const id = Number(text.slice(2, bracket));
      const resolve = this.acks.get(id);
      if (!resolve) return;
      this.acks.delete(id);
      resolve((JSON.parse(text.slice(bracket)) as unknown[])[0]);
    }
  }
}
