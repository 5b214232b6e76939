import { Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import {
  BatchConsumer,
  DurableConsumer,
  type BatchConsumerOptions,
  type BatchOutcome,
  type DurableConsumerOptions,
  type NatsConnection,
  type ReceivedMessage,
} from '@vigil/bus';
import {
  BUS_SUBSCRIPTION,
  BUS_TRANSPORT,
  type BusSubscription,
  type FromConfig,
} from './bus-handler.decorators';
import type { ProductLog } from './product-log';
import { waitForPlatformStream } from './stream-wait';
import type { ReadinessChecks } from './readiness-checks';

/**
 * A Nest transport strategy over `@vigil/bus`: each method decorated with `@OnBusMessage` or
 * `@OnBusBatch` gets its durable JetStream consumer, started once the app is up (after waiting
 * for its stream) and stopped — in-flight work finished or left for redelivery — when the app
 * closes. Acks, retries, redelivery limits and dead-lettering stay `@vigil/bus`'s: a handler
 * resolves (ack), throws `PermanentFailure` (dead letter) or throws anything else (redelivery).
 * Nest's own NATS transport is not used: it is core NATS, at most once.
 */
export class BusTransport extends Server implements CustomTransportStrategy {
  override readonly transportId = BUS_TRANSPORT;
  private readonly consumers: Array<{ stop(): Promise<void> }> = [];
  private started = false;

  constructor(
    private readonly nc: NatsConnection,
    private readonly config: unknown,
    private readonly log: ProductLog,
    private readonly readiness: ReadinessChecks,
  ) {
    super();
  }

  /** Starts a consumer per handler; Nest awaits the callback. */
  listen(callback: (error?: unknown) => void): void {
    this.startConsumers().then(
      () => callback(),
      (error: unknown) => callback(error),
    );
  }

  /** Stops every consumer; each finishes the message or batch in hand. */
  async close(): Promise<void> {
    this.started = false;
    const consumers = this.consumers.splice(0);
    await Promise.all(consumers.map((consumer) => consumer.stop().catch(() => undefined)));
  }

  on(): void {
    throw new Error('the bus transport emits no events');
  }

  unwrap<T>(): T {
    return this.nc as T;
  }

  private async startConsumers(): Promise<void> {
    if (this.getHandlers().size > 0) {
      this.readiness.add('consumers', () => this.started);
    }
    for (const [durable, handler] of this.getHandlers()) {
      const subscription = handler.extras?.[BUS_SUBSCRIPTION] as BusSubscription | undefined;
      if (!subscription) {
        throw new Error(`bus handler ${durable} has no subscription (use @OnBusMessage)`);
      }
      this.consumers.push(await this.startConsumer(durable, subscription, handler));
    }
    this.started = true;
  }

  private async startConsumer(
    durable: string,
    subscription: BusSubscription,
    handler: MessageHandler,
  ): Promise<{ stop(): Promise<void> }> {
    if (subscription.kind === 'message') {
      const options = this.resolve(subscription.options);
      await this.waitFor(options.stream);
      return DurableConsumer.start(
        this.nc,
        {
          onFailure: (error) => this.log.warn(`${durable}: a message failed, will retry`, error),
          ...options,
        },
        (message) => this.invoke<void>(handler, message),
      );
    }
    const options = this.resolve(subscription.options);
    await this.waitFor(options.stream);
    return BatchConsumer.start(
      this.nc,
      {
        onFailure: (error, size) =>
          this.log.warn(`${durable}: a batch of ${size} failed, will retry`, error),
        ...options,
      },
      (batch) => this.invoke<BatchOutcome | void>(handler, batch),
    );
  }

  private resolve<T extends DurableConsumerOptions | BatchConsumerOptions>(
    options: FromConfig<T>,
  ): T {
    return typeof options === 'function'
      ? (options as (config: unknown) => T)(this.config)
      : options;
  }

  private waitFor(stream?: string): Promise<void> {
    return waitForPlatformStream(this.nc, this.log, stream);
  }

  /** Calls the Nest handler and unwraps what it returns; errors keep their class (see ApiExceptionFilter). */
  private async invoke<T>(
    handler: MessageHandler,
    payload: ReceivedMessage | readonly ReceivedMessage[],
  ): Promise<T> {
    const result: unknown = await handler(payload);
    if (isObservable(result)) {
      return (await lastValueFrom(result, { defaultValue: undefined })) as T;
    }
    return result as T;
  }
}
