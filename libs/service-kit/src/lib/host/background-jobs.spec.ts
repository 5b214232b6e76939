import { BackgroundJobs } from './background-jobs';
import { ProductLog } from './product-log';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('BackgroundJobs', () => {
  it('never overlaps a run with itself, and stop waits for the run in progress', async () => {
    const jobs = new BackgroundJobs(new ProductLog('spec', () => undefined));
    let running = 0;
    let overlapped = false;
    let finished = 0;
    jobs.every(
      'slow',
      5,
      async () => {
        overlapped ||= running > 0;
        running++;
        await tick(30);
        running--;
        finished++;
      },
      true,
    );
    await tick(50);
    await jobs.stop();
    const afterStop = finished;
    expect(overlapped).toBe(false);
    expect(running).toBe(0);
    await tick(40);
    expect(finished).toBe(afterStop);
  });

  it('logs a failing job once per interval and keeps running it', async () => {
    const lines: string[] = [];
    const jobs = new BackgroundJobs(new ProductLog('spec', (line) => lines.push(line), 10_000));
    let runs = 0;
    jobs.every('sweep', 5, async () => {
      runs++;
      throw new Error('the store is down');
    });
    await tick(60);
    await jobs.stop();
    expect(runs).toBeGreaterThan(2);
    expect(lines).toEqual(['vigil spec: sweep failed, will retry: the store is down']);
  });

  it('refuses a second job of the same name', () => {
    const jobs = new BackgroundJobs(new ProductLog('spec', () => undefined));
    jobs.every('once', 1_000, async () => undefined);
    expect(() => jobs.every('once', 1_000, async () => undefined)).toThrow(/already scheduled/);
    return jobs.stop();
  });
});
