// Builds the services for production: every app and lib source file compiled by swc (with the
// decorator metadata NestJS needs) into dist/, `@vigil/*` imports rewritten to relative paths,
// with the contracts (schemas/) and the scanner fixtures beside them. Then, from any folder
// that has the workspace's node_modules:  node dist/apps/<app>/src/main.js
import swc from '@swc/core';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const outDir = process.argv[2] ?? join(root, 'dist');
const require = createRequire(import.meta.url);
const baseOptions = require(join(root, 'tools/scripts/swc-options.js'));
const { compilerOptions } = JSON.parse(readFileSync(join(root, 'tsconfig.base.json'), 'utf8'));
const SKIP =
  /\.(spec|integration-spec|e2e-spec|mock-server\.spec)\.ts$|\/testing\/|\/conformance\//;

function sources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      return name === 'node_modules' ? [] : sources(path);
    }
    return path.endsWith('.ts') && !path.endsWith('.d.ts') && !SKIP.test(path) ? [path] : [];
  });
}

const projects = ['apps', 'libs'].flatMap((top) =>
  readdirSync(join(root, top)).map((name) => join(root, top, name, 'src')),
);
const files = projects
  .filter((dir) => existsSync(dir) && statSync(dir).isDirectory())
  .flatMap(sources);
rmSync(join(outDir, 'apps'), { recursive: true, force: true });
rmSync(join(outDir, 'libs'), { recursive: true, force: true });
for (const file of files) {
  const { code } = swc.transformSync(readFileSync(file, 'utf8'), {
    ...baseOptions,
    filename: file,
    sourceMaps: false,
    jsc: { ...baseOptions.jsc, baseUrl: root, paths: compilerOptions.paths },
  });
  const target = join(outDir, relative(root, file)).replace(/\.ts$/, '.js');
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, code);
}
cpSync(join(root, 'schemas'), join(outDir, 'schemas'), {
  recursive: true,
  filter: (path) => !path.includes('/examples'),
});
cpSync(join(root, 'libs/scanners/fixtures'), join(outDir, 'libs/scanners/fixtures'), {
  recursive: true,
});
console.log(
  `built ${files.length} files into ${relative(root, outDir) || '.'}: node dist/apps/<app>/src/main.js`,
);
