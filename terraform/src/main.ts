import { join } from 'node:path';
import { buildApp } from './app';

/** `npm run infra:synth`: plain Terraform JSON per stack in `terraform/cdktf.out/stacks/<stack>/`. */
const outdir = join(__dirname, '..', 'cdktf.out');
buildApp(undefined, outdir).synth();
process.stdout.write(`infra:synth: stacks written to ${outdir}/stacks\n`);
