import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { gzipSync } from 'node:zlib';
import { BodyError } from './body-error';
import { readBody } from './read-body';

const limits = { maxBodyBytes: 1_000, maxInflatedBytes: 5_000 };

function streamOf(...chunks: Buffer[]): Readable {
  return Readable.from(chunks);
}

async function failure(promise: Promise<unknown>): Promise<BodyError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof BodyError)) {
    throw new Error(`expected a BodyError, got ${String(error)}`);
  }
  return error;
}

describe('readBody', () => {
  it('reads a plain body and a gzip body', async () => {
    expect((await readBody(streamOf(Buffer.from('[1,2]')), undefined, limits)).toString()).toBe(
      '[1,2]',
    );
    expect((await readBody(streamOf(gzipSync('[3]')), 'gzip', limits)).toString()).toBe('[3]');
  });

  it('refuses a body over the wire limit with 413', async () => {
    const error = await failure(
      readBody(streamOf(Buffer.alloc(600), Buffer.alloc(600)), 'identity', limits),
    );
    expect([error.status, error.code]).toEqual([413, 'body-too-large']);
  });

  it('stops a gzip bomb once the inflated size passes the limit, without inflating it all', async () => {
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024));
    expect(bomb.length).toBeLessThan(limits.maxBodyBytes * 100);
    const small = { maxBodyBytes: bomb.length + 1, maxInflatedBytes: 64 * 1024 };
    const started = process.memoryUsage().arrayBuffers;
    const error = await failure(readBody(streamOf(bomb), 'gzip', small));
    expect([error.status, error.message]).toEqual([
      413,
      'the decompressed body is larger than 65536 bytes',
    ]);
    expect(process.memoryUsage().arrayBuffers - started).toBeLessThan(20 * 1024 * 1024);
  });

  it('refuses corrupt gzip with 400 and unknown encodings with 415', async () => {
    expect(
      (await failure(readBody(streamOf(Buffer.from('not gzip at all')), 'gzip', limits))).status,
    ).toBe(400);
    expect((await failure(readBody(streamOf(Buffer.from('x')), 'br', limits))).status).toBe(415);
  });

  it('lets go of the chunks once the body is read, though the request stream lives on', async () => {
    setFlagsFromString('--expose-gc');
    const collect = runInNewContext('gc') as () => void;
    const stream = new Readable({ read: () => undefined });
    const firstChunk = ((): WeakRef<Buffer> => {
      const chunk = Buffer.alloc(600, 'a');
      stream.push(chunk);
      stream.push(Buffer.alloc(100, 'b'));
      stream.push(null);
      return new WeakRef(chunk);
    })();
    expect((await readBody(stream, undefined, limits)).length).toBe(700);
    await new Promise((resolve) => setImmediate(resolve));
    collect();
    expect(firstChunk.deref()).toBeUndefined();
    expect(stream.listenerCount('data')).toBe(0);
  });
});
