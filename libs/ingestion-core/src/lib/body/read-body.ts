import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { BodyError } from './body-error';

/** Size limits of one request body. */
export interface BodyLimits {
  /** Bytes on the wire (compressed or not). */
  readonly maxBodyBytes: number;
  /** Bytes after decompression: a gzip bomb is stopped here, without inflating the rest. */
  readonly maxInflatedBytes: number;
}

/**
 * Reads a request body into memory within its limits, gunzipping it when
 * `content-encoding: gzip`. Stops keeping data as soon as a limit is passed; the rest of the
 * request is drained and discarded (not destroyed) so the client still receives the answer.
 */
export function readBody(
  stream: Readable,
  contentEncoding: string | undefined,
  limits: BodyLimits,
): Promise<Buffer> {
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip' && encoding !== 'x-gzip') {
    stream.resume();
    return Promise.reject(
      new BodyError(
        415,
        'unsupported-encoding',
        `content-encoding "${encoding}" is not supported; send identity or gzip`,
      ),
    );
  }
  return new Promise((resolve, reject) => {
    const gunzip = encoding === 'identity' ? undefined : createGunzip();
    const chunks: Buffer[] = [];
    let wireBytes = 0;
    let size = 0;
    let settled = false;

    const fail = (error: Error): void => {
      if (settled) {
        return;
      }
      settled = true;
      stream.removeListener('data', onWire);
      gunzip?.destroy();
      stream.resume();
      reject(toBodyError(error, gunzip !== undefined));
    };
    const onContent = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limits.maxInflatedBytes) {
        fail(
          new BodyError(
            413,
            'body-too-large',
            `the decompressed body is larger than ${limits.maxInflatedBytes} bytes`,
          ),
        );
        return;
      }
      chunks.push(chunk);
    };
    const onWire = (chunk: Buffer): void => {
      wireBytes += chunk.length;
      if (wireBytes > limits.maxBodyBytes) {
        fail(
          new BodyError(
            413,
            'body-too-large',
            `the request body is larger than ${limits.maxBodyBytes} bytes`,
          ),
        );
        return;
      }
      if (gunzip) {
        gunzip.write(chunk);
      } else {
        onContent(chunk);
      }
    };
    const finish = (): void => {
      if (!settled) {
        settled = true;
        stream.removeListener('data', onWire);
        const body = Buffer.concat(chunks, size);
        // The request object outlives this read (the error listener stays on it) and may by now
        // sit in the old generation: the chunks it could still reach would then live until a
        // major GC, and their ~100 KB per request of external memory is what triggers those.
        chunks.length = 0;
        resolve(body);
      }
    };

    stream.on('data', onWire);
    stream.once('error', fail);
    if (gunzip) {
      gunzip.on('data', onContent);
      gunzip.once('error', fail);
      gunzip.once('end', finish);
      stream.once('end', () => gunzip.end());
    } else {
      stream.once('end', finish);
    }
  });
}

function toBodyError(error: Error, gzipped: boolean): Error {
  if (error instanceof BodyError) {
    return error;
  }
  if (gzipped && String((error as NodeJS.ErrnoException).code ?? '').startsWith('Z_')) {
    return new BodyError(400, 'bad-gzip', `the body is not valid gzip: ${error.message}`);
  }
  if ((error as NodeJS.ErrnoException).code === 'ECONNRESET' || /aborted/i.test(error.message)) {
    return new BodyError(400, 'body-aborted', 'the client stopped sending the body');
  }
  return error;
}
