import { loadScanWorkersConfig } from './scan-workers.config';

describe('loadScanWorkersConfig', () => {
  it("allows no target network by default: loopback and the platform's own ports are never implied", () => {
    expect(loadScanWorkersConfig({}).allowedNetworks).toEqual([]);
  });

  it('takes the networks an operator opts in to', () => {
    const config = loadScanWorkersConfig({ VIGIL_SCANS_ALLOWED_NETWORKS: '10.20.0.0/16, ::1/128' });
    expect(config.allowedNetworks).toEqual(['10.20.0.0/16', '::1/128']);
  });
});
