import { describe, expect, it } from 'vitest';
import { SseParser } from './sse-parser';

describe('server-sent events parser', () => {
  it('reads named events split across chunks', () => {
    const parser = new SseParser();
    expect(parser.feed('event: placesChanged\ndata: {"place_ids":')).toEqual([]);
    expect(parser.feed('null,"reason":"scan"}\n\nevent: scanProgress\r\ndata: 1\r\n\r\n')).toEqual([
      { event: 'placesChanged', data: '{"place_ids":null,"reason":"scan"}' },
      { event: 'scanProgress', data: '1' },
    ]);
  });

  it('ignores comments (keep-alives) and joins multi-line data', () => {
    const parser = new SseParser();
    expect(parser.feed(': ping\n\ndata: a\ndata: b\n\n')).toEqual([
      { event: 'message', data: 'a\nb' },
    ]);
  });

  it('waits for the second half of a CRLF split across chunks', () => {
    const parser = new SseParser();
    expect(parser.feed('data: x\r')).toEqual([]);
    expect(parser.feed('\n\r\n')).toEqual([{ event: 'message', data: 'x' }]);
  });
});
