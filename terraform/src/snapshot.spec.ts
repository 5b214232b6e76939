import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthAll } from './synthesized-stacks';

const SNAPSHOTS = join(__dirname, '..', 'snapshots');
const UPDATE = process.env['VIGIL_UPDATE_INFRA_SNAPSHOTS'] === '1';

/**
 * Infrastructure changes are reviewed as a diff of `terraform/snapshots/`: a change to the
 * declarations or stacks fails here until the snapshot is updated with
 * `VIGIL_UPDATE_INFRA_SNAPSHOTS=1 npm run infra:check` and the diff is committed with it.
 */
describe('synthesized stacks against the committed snapshot (terraform/snapshots/)', () => {
  const stacks = synthAll();
  if (UPDATE) {
    mkdirSync(SNAPSHOTS, { recursive: true });
  }

  it.each([...stacks.keys()])('%s has not drifted', (name) => {
    const file = join(SNAPSHOTS, `${name}.tf.json`);
    const current = `${JSON.stringify(stacks.get(name), null, 2)}\n`;
    if (UPDATE) {
      writeFileSync(file, current);
    }
    if (!existsSync(file)) {
      throw new Error(
        `no snapshot ${file}: run VIGIL_UPDATE_INFRA_SNAPSHOTS=1 npm run infra:check`,
      );
    }
    expect(current).toBe(readFileSync(file, 'utf8'));
  });
});
