import { applyDecorators } from '@nestjs/common';
import { EventPattern } from '@nestjs/microservices';
import type { BatchConsumerOptions, DurableConsumerOptions } from '@vigil/bus';

/** Nest transport id of the bus handlers: only {@link BusTransport} binds them. */
export const BUS_TRANSPORT = Symbol('vigil:bus-transport');

/** Consumer settings, fixed or computed from the product's configuration when the app starts. */
export type FromConfig<T> = T | ((config: never) => T);

/** How a decorated method consumes: one message at a time, or in batches. */
export type BusSubscription =
  | { readonly kind: 'message'; readonly options: FromConfig<DurableConsumerOptions> }
  | { readonly kind: 'batch'; readonly options: FromConfig<BatchConsumerOptions> };

/** Key of the subscription in a handler's Nest `extras`. */
export const BUS_SUBSCRIPTION = 'vigil:bus-subscription';

/**
 * Makes a method of a Nest controller the handler of a durable JetStream consumer: it receives
 * one `ReceivedMessage`; resolving acks it, throwing `PermanentFailure` dead-letters it with the
 * reason, any other error has it delivered again (bounded by `maxDeliver`). The pattern is the
 * durable name, so two handlers can never share a consumer by accident.
 */
export function OnBusMessage(
  durable: string,
  options: FromConfig<Omit<DurableConsumerOptions, 'durable'>>,
): MethodDecorator {
  return subscribe(durable, {
    kind: 'message',
    options: withDurable(durable, options),
  });
}

/**
 * Makes a method the handler of a batch consumer: it receives `readonly ReceivedMessage[]` and
 * returns the messages it rejects (dead-lettered with their reasons); throwing has the whole
 * batch delivered again later, never dead-lettered.
 */
export function OnBusBatch(
  durable: string,
  options: FromConfig<Omit<BatchConsumerOptions, 'durable'>>,
): MethodDecorator {
  return subscribe(durable, { kind: 'batch', options: withDurable(durable, options) });
}

function subscribe(durable: string, subscription: BusSubscription): MethodDecorator {
  return applyDecorators(
    EventPattern(durable, BUS_TRANSPORT, { [BUS_SUBSCRIPTION]: subscription }),
  );
}

function withDurable<T extends object>(
  durable: string,
  options: FromConfig<T>,
): FromConfig<T & { durable: string }> {
  if (typeof options === 'function') {
    return (config: never) => ({ ...(options as (config: never) => T)(config), durable });
  }
  return { ...options, durable };
}
