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
      if (settled) {
        return;
      }
      settled = true;
      // The request stream outlives this read and may by now sit in the old generation: a
      // listener left on it would keep this closure's chunks and the resolved body reachable
      // until a major GC, and their ~200 KB per request of external memory is what triggers those.
      stream.removeListener('data', onWire);
      stream.removeListener('error', fail);
      stream.on('error', ignoreLateError);
      resolve(Buffer.concat(chunks, size));
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

/** Errors of a request stream after its body was read concern no one (the answer is on its way). */
function ignoreLateError(): void {
  return;
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
