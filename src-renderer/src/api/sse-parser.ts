export interface ServerSentEvent {
  event: string;
  data: string;
}

/**
 * Incremental parser for a text/event-stream body: feed it decoded chunks as they arrive and it
 * returns the events completed so far (a blank line ends an event; `:` lines are comments).
 */
export class SseParser {
  private buffer = '';
  private eventName = '';
  private dataLines: string[] = [];

  feed(chunk: string): ServerSentEvent[] {
    this.buffer += chunk;
    const completed: ServerSentEvent[] = [];
    let newline: number;
    while ((newline = this.buffer.search(/\r\n|\r|\n/)) !== -1) {
      const line = this.buffer.slice(0, newline);
      // A lone '\r' at the very end may be the first half of '\r\n': wait for the next chunk.
      if (this.buffer[newline] === '\r' && newline === this.buffer.length - 1) break;
      const width = this.buffer.startsWith('\r\n', newline) ? 2 : 1;
      this.buffer = this.buffer.slice(newline + width);
      const event = this.processLine(line);
      if (event) completed.push(event);
    }
    return completed;
  }

  private processLine(line: string): ServerSentEvent | null {
    if (line === '') {
      const hasData = this.dataLines.length > 0;
      const event = { event: this.eventName || 'message', data: this.dataLines.join('\n') };
      this.eventName = '';
      this.dataLines = [];
      return hasData ? event : null;
    }
    if (line.startsWith(':')) return null;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.eventName = value;
    else if (field === 'data') this.dataLines.push(value);
    return null;
  }
}
