import type { BacktestSignal } from '@vigil/playbooks';
import { ApiError } from '@vigil/service-kit';
import type { SignalRecordV1 } from '@vigil/signals';

/** A window of archived signals being read from the archive's API. */
export interface ArchiveWindow {
  readonly total: number;
  readonly signals: AsyncIterable<BacktestSignal>;
  /** Stops reading (the connection is closed). */
  cancel(): Promise<void>;
}

/**
 * Reads a window of the caller's archive through the archive's public API
 * (`POST /v1/archive/export`), with the caller's own key: a backtest sees exactly what that key
 * may read, and the playbooks product never touches the archive's storage.
 */
export class ArchiveExportClient {
  constructor(private readonly baseUrl: string | undefined) {}

  async open(
    authorization: string,
    window: { from: string; to: string; types: string[]; app?: string },
  ): Promise<ArchiveWindow> {
    if (!this.baseUrl) {
      throw new ApiError(
        503,
        'archive-unavailable',
        'backtests read the archive, and this service has no VIGIL_ARCHIVE_URL',
      );
    }
    const response = await fetch(new URL('/v1/archive/export', this.baseUrl), {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json' },
      body: JSON.stringify(window),
    }).catch((error: unknown) => {
      throw new ApiError(
        503,
        'archive-unavailable',
        `the archive did not answer: ${String(error)}`,
      );
    });
    if (!response.ok || !response.body) {
      const answer = (await response.json().catch(() => ({}))) as {
        message?: string;
        error?: string;
      };
      const status = response.status === 401 || response.status === 403 ? response.status : 502;
      throw new ApiError(
        status,
        answer.error ?? 'archive-error',
        `the archive refused the window (${response.status}): ${answer.message ?? 'no reason given'}`,
      );
    }
    const body = response.body;
    return {
      total: Number(response.headers.get('x-vigil-signal-count') ?? 0),
      signals: signalsOf(body),
      cancel: () => body.cancel().catch(() => undefined),
    };
  }
}

async function* signalsOf(body: ReadableStream<Uint8Array>): AsyncIterable<BacktestSignal> {
  const decoder = new TextDecoder();
  let pending = '';
  for await (const chunk of body) {
    const lines = (pending + decoder.decode(chunk, { stream: true })).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (line.length > 0) {
        yield signalOf(JSON.parse(line) as SignalRecordV1);
      }
    }
  }
}

function signalOf(record: SignalRecordV1): BacktestSignal {
  return {
    event: record.event as unknown as Record<string, unknown>,
    receivedAt: Date.parse(record.vigil.receivedAt),
  };
}
