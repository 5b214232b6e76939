/** Writes a generated combined-format access log of `argv[2]` lines (default 100 000) to stdout. */
import { generateAccessLog } from './access-log-generator';

process.stdout.write(generateAccessLog(Number(process.argv[2] ?? 100_000)).text);
