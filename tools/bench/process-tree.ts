/** CPU and memory of a process and all its descendants, from /proc (Linux). */
import { readdirSync, readFileSync } from 'node:fs';
import { cpuSeconds } from '@vigil/testing';

/** One process of the tree: its id and command name. */
export interface TreeProcess {
  readonly pid: number;
  readonly name: string;
}

/** `root` and every process descended from it, alive now. */
export function processTree(root: number): TreeProcess[] {
  const parents = new Map<number, { ppid: number; name: string }>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    const stat = readOr(`/proc/${entry}/stat`);
    if (!stat) {
      continue;
    }
    const name = serviceName(entry) ?? stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    parents.set(Number(entry), { ppid, name });
  }
  const tree: TreeProcess[] = [];
  const visit = (pid: number) => {
    tree.push({ pid, name: parents.get(pid)?.name ?? '?' });
    for (const [child, info] of parents) {
      if (info.ppid === pid) {
        visit(child);
      }
    }
  };
  if (parents.has(root)) {
    visit(root);
  }
  return tree;
}

/** CPU seconds used so far by each process of the tree, by service or command name (summed per name). */
export function cpuByName(root: number): Map<string, number> {
  const totals = new Map<string, number>();
  for (const { pid, name } of processTree(root)) {
    totals.set(name, (totals.get(name) ?? 0) + cpuSeconds(pid));
  }
  return totals;
}

/** Resident memory of the whole tree, in bytes. */
export function treeRssBytes(root: number): number {
  return processTree(root).reduce((sum, { pid }) => {
    const kb = /VmRSS:\s+(\d+)/.exec(readOr(`/proc/${pid}/status`))?.[1];
    return sum + Number(kb ?? 0) * 1024;
  }, 0);
}

/** The service a launcher's child process runs (`service-child <app>`), from its command line. */
function serviceName(pid: string): string | undefined {
  const args = readOr(`/proc/${pid}/cmdline`).split('\0');
  const child = args.findIndex((arg) => /service-child\.[jt]s$/.test(arg));
  return child >= 0 ? args[child + 1] : undefined;
}

function readOr(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
