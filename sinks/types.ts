import type { AuditRecord } from '../lib/types.js';

/**
 * Every audit output sits behind this interface. Records arrive already
 * redacted; a sink never changes a decision and never throws out of `write`
 * for delivery problems (it reports them through `onError`).
 */
export interface Sink {
  readonly name: string;
  write(record: AuditRecord): Promise<void>;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export type SinkErrorHandler = (sink: string, err: unknown) => void;
