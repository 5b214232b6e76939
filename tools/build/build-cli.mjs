// Builds the installable `vigil` command: one bundled file for the CLI and the workspace libs
// it uses (@vigil/*), with third-party packages left as dependencies of the package.
import { build } from 'esbuild';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// Default dist/apps/cli; tests pass a folder of their own.
const outDir = process.argv[2] ?? join(root, 'dist', 'apps', 'cli');
const rootPackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const cliPackage = JSON.parse(readFileSync(join(root, 'apps', 'cli', 'package.json'), 'utf8'));
// Every third-party package stays outside the bundle; the package depends on those it imports.
const external = Object.keys(rootPackage.dependencies);

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
// The contracts travel with the command, so `vigil schemas validate|check` work offline anywhere.
cpSync(join(root, 'schemas'), join(outDir, 'schemas'), {
  recursive: true,
  filter: (path) => !path.includes('/examples'),
});
// The demo project (`vigil demo` copies it where the scanner workers read artifacts).
cpSync(join(root, 'libs', 'scanners', 'fixtures'), join(outDir, 'fixtures'), { recursive: true });
const result = await build({
  entryPoints: [join(root, 'apps', 'cli', 'src', 'main.ts')],
  outfile: join(outDir, 'vigil.js'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  tsconfig: join(root, 'tsconfig.base.json'),
  external,
  banner: { js: '#!/usr/bin/env node' },
  sourcemap: true,
  metafile: true,
  logLevel: 'warning',
});
const imported = new Set(
  Object.values(result.metafile.inputs).flatMap((input) =>
    input.imports.filter((entry) => entry.external).map((entry) => entry.path),
  ),
);
const dependencies = Object.fromEntries(
  external
    .filter((name) => imported.has(name))
    .map((name) => [name, rootPackage.dependencies[name]]),
);
const published = { ...cliPackage };
delete published.private;
writeFileSync(
  join(outDir, 'package.json'),
  `${JSON.stringify({ ...published, bin: { vigil: 'vigil.js' }, engines: { node: '>=20.19' }, dependencies }, null, 2)}\n`,
);
console.log(`built ${outDir}: vigil.js, package.json, schemas/, fixtures/`);
