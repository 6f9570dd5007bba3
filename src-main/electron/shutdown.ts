/**
 * Closing the backend exactly once, however many times quit is requested (Cmd+Q, the last
 * window closing and a SIGTERM can all arrive together).
 */
export function createShutdown(close: () => Promise<void>) {
  let closing: Promise<void> | undefined;
  let finished = false;
  return {
    get started(): boolean {
      return closing !== undefined;
    },
    get finished(): boolean {
      return finished;
    },
    run(): Promise<void> {
      closing ??= close().finally(() => {
        finished = true;
      });
      return closing;
    },
  };
}
