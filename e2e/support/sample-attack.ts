import { eventually } from '@vigil/testing';

/** One blocked SQL injection on app `shop`, as an agent reports it. */
export function sampleAttack(id: string, ip: string): Record<string, unknown> {
  return {
    specversion: '1.0',
    id,
    source: 'agent://shop/pod-1',
    type: 'attack',
    time: new Date().toISOString(),
    subject: 'shop',
    data: { category: 'sqli', action: 'blocked', rule: { id: 'sqli-001' }, actor: { ip } },
  };
}

/** Resolves once insights counts `signals` signals for app `shop` of the key's tenant. */
export function awaitShopSignals(
  insightsUrl: string,
  key: string,
  signals: number,
  timeoutMs: number,
): Promise<void> {
  return eventually(async () => {
    const response = await fetch(`${insightsUrl}/v1/apps/shop`, {
      headers: { authorization: `Bearer ${key}` },
    });
    return response.ok && ((await response.json()) as { signals: number }).signals === signals;
  }, timeoutMs);
}
