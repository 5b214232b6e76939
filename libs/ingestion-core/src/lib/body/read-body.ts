import type { Readable } from 'node:stream';
import { createGunzip, type Gunzip } from 'node:zlib';
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
 * `content-encoding: gzip`. Stops reading as soon as a limit is passed.
 */
export async function readBody(
  stream: Readable,
  contentEncoding: string | undefined,
  limits: BodyLimits,
): Promise<Buffer> {
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip' && encoding !== 'x-gzip') {
    throw new BodyError(
      415,
      'unsupported-encoding',
      `content-encoding "${encoding}" is not supported; send identity or gzip`,
    );
  }
  const wire = limitWire(stream, limits.maxBodyBytes);
  if (encoding === 'identity') {
    return collect(wire, limits.maxInflatedBytes);
  }
  const gunzip = createGunzip();
  wire.on('error', (error) => gunzip.destroy(error));
  return collect(wire.pipe(gunzip), limits.maxInflatedBytes, gunzip);
}

/** Passes the stream through, failing with 413 once more than `max` bytes arrived. */
function limitWire(stream: Readable, max: number): Readable {
  let seen = 0;
  stream.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > max) {
      stream.destroy(
        new BodyError(413, 'body-too-large', `the request body is larger than ${max} bytes`),
      );
    }
  });
  return stream;
}

function collect(source: Readable, maxInflated: number, gunzip?: Gunzip): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    source.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxInflated) {
        const error = new BodyError(
          413,
          'body-too-large',
          `the decompressed body is larger than ${maxInflated} bytes`,
        );
        source.destroy(error);
        return;
      }
      chunks.push(chunk);
    });
    source.once('error', (error: Error) => reject(toBodyError(error, gunzip !== undefined)));
    source.once('end', () => resolve(Buffer.concat(chunks, size)));
  });
}

function toBodyError(error: Error, gzipped: boolean): Error {
  if (error instanceof BodyError) {
    return error;
  }
  if (
    gzipped &&
    'code' in error &&
    String((error as NodeJS.ErrnoException).code).startsWith('Z_')
  ) {
    return new BodyError(400, 'bad-gzip', `the body is not valid gzip: ${error.message}`);
  }
  if ((error as NodeJS.ErrnoException).code === 'ECONNRESET' || /aborted/i.test(error.message)) {
    return new BodyError(400, 'body-aborted', 'the client stopped sending the body');
  }
  return error;
}
