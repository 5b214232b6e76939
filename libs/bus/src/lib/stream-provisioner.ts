import {
  jetstreamManager,
  type JetStreamManager,
  type StreamConfig,
  type StreamInfo,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import {
  deadLetterStream,
  DEADLETTER_STREAM,
  replayStream,
  REPLAY_STREAM,
  signalsStream,
  SIGNALS_STREAM,
  streamEnvName,
  type SignalsStreamOptions,
  type StreamDefinition,
} from '@vigil/topology';

/** What provisioning did to a stream. */
export type ProvisionOutcome = 'created' | 'updated' | 'unchanged';

/**
 * Creates the stream, or updates the settings that may change; never deletes a stream or its
 * data, and never lowers the replicas an operator raised (it keeps theirs and calls `warn`).
 */
export async function ensureStream(
  jsm: JetStreamManager,
  wanted: StreamConfigInput,
  warn: (message: string) => void = () => undefined,
): Promise<ProvisionOutcome> {
  const existing = await findStream(jsm, wanted.name);
  const config = existing ? keepRaisedReplicas(existing, asConfig(wanted), warn) : asConfig(wanted);
  if (!existing) {
    const created = await jsm.streams.add(config).then(
      () => true,
      async (error: unknown) => {
        // Several instances starting together: another one created it first.
        if (await findStream(jsm, config.name)) {
          return false;
        }
        throw error;
      },
    );
    if (created) {
      return 'created';
    }
    return ensureStream(jsm, wanted, warn);
  }
  if (existing.config.storage !== config.storage) {
    throw new Error(
      `stream ${config.name} uses ${existing.config.storage} storage but ${config.storage} is configured; ` +
        'storage cannot change in place — migrate the stream by hand',
    );
  }
  if (!differs(existing, config)) {
    return 'unchanged';
  }
  await jsm.streams.update(config.name, config);
  return 'updated';
}

/** The streams of the platform, provisioned at start-up by every service that uses them. */
export async function ensureSignalStreams(
  connection: JetStreamManager | NatsConnection,
  options: SignalsStreamOptions,
  warn?: (message: string) => void,
): Promise<Record<string, ProvisionOutcome>> {
  const jsm = 'streams' in connection ? connection : await jetstreamManager(connection);
  return {
    [SIGNALS_STREAM]: await ensureStream(jsm, signalsStream(options), warn),
    [DEADLETTER_STREAM]: await ensureStream(jsm, deadLetterStream(options), warn),
    [REPLAY_STREAM]: await ensureStream(jsm, replayStream(options), warn),
  };
}

/** A stream's settings as Vigil provisions them: a topology definition, or one a test makes. */
export type StreamConfigInput =
  StreamDefinition | (Partial<StreamConfig> & Pick<StreamConfig, 'name' | 'subjects' | 'storage'>);

/** True when the stream exists on the server. */
export async function streamExists(nc: NatsConnection, name: string): Promise<boolean> {
  return (await findStream(await jetstreamManager(nc), name)) !== undefined;
}

/**
 * Resolves once the stream exists. Products wait for the stream ingestion provisions rather than
 * configure it differently; `onWait` is called on the first check and every ten seconds after.
 */
export async function waitForStream(
  nc: NatsConnection,
  name: string,
  onWait: () => void,
  pollMs = 1_000,
): Promise<void> {
  for (let attempt = 0; !(await streamExists(nc, name)); attempt++) {
    if (attempt % 10 === 0) {
      onWait();
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

async function findStream(jsm: JetStreamManager, name: string): Promise<StreamInfo | undefined> {
  try {
    return await jsm.streams.info(name);
  } catch (error) {
    if ((error as { code?: number }).code === 10059 || /stream not found/i.test(String(error))) {
      return undefined;
    }
    throw error;
  }
}

type ServerStreamConfig = Partial<StreamConfig> & Pick<StreamConfig, 'name'>;

/** The topology's plain strings are the wire values of the client's enums. */
function asConfig(wanted: StreamConfigInput): ServerStreamConfig {
  return wanted as unknown as ServerStreamConfig;
}

function keepRaisedReplicas(
  existing: StreamInfo,
  wanted: ServerStreamConfig,
  warn: (message: string) => void,
): ServerStreamConfig {
  const theirs = existing.config.num_replicas ?? 1;
  const ours = wanted.num_replicas ?? 1;
  if (theirs <= ours) {
    return wanted;
  }
  warn(
    `stream ${wanted.name} has ${theirs} replicas, more than the ${ours} configured (VIGIL_STREAM_REPLICAS_${streamEnvName(wanted.name)} or VIGIL_STREAM_REPLICAS): kept at ${theirs}`,
  );
  return { ...wanted, num_replicas: theirs };
}

function differs(existing: StreamInfo, wanted: ServerStreamConfig): boolean {
  const current = existing.config as unknown as Record<string, unknown>;
  return Object.entries(wanted).some(
    ([key, value]) => JSON.stringify(current[key]) !== JSON.stringify(value),
  );
}
