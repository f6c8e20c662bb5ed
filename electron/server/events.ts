// Server-sent events: the HTTP stand-in for IPC pushes. One stream per page carries load progress
// and shell commands, as `event: progress` / `event: shell` with a JSON payload.
import type { ServerResponse } from 'node:http';
import type { ProgressEvent, ShellEvent } from '@shared/contract';

// Proxies close idle streams; a comment line every so often keeps them open.
const KEEPALIVE_MS = 15_000;

export class EventHub {
  private readonly clients = new Set<ServerResponse>();
  private readonly timer: NodeJS.Timeout;

  constructor() {
    this.timer = setInterval(() => this.write(': keep-alive\n\n'), KEEPALIVE_MS);
    this.timer.unref();
  }

  attach(res: ServerResponse): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    res.write('retry: 1000\n: connected\n\n');
    this.clients.add(res);
    res.on('close', () => this.clients.delete(res));
  }

  progress(event: ProgressEvent): void {
    this.write(`event: progress\ndata: ${JSON.stringify(event)}\n\n`);
  }

  shell(event: ShellEvent): void {
    this.write(`event: shell\ndata: ${JSON.stringify(event)}\n\n`);
  }

  close(): void {
    clearInterval(this.timer);
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  private write(chunk: string): void {
    for (const res of this.clients) res.write(chunk);
  }
}
