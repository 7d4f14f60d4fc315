#!/usr/bin/env node
// The package's bin, `ecr-kms-replication`: starts the compiled launcher (cli/cli.ts ->
// dist/cli/cli.js). In a clone the launcher checks the sources against dist/ on every run and
// recompiles when one is newer; installed from npm (dist/ only) it runs dist/ as it is. This file is
// plain JavaScript only because something must run before dist/ exists: on a checkout that was
// never built, it compiles the project once.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.resolve(__dirname, '..');
const entry = path.join(root, 'dist', 'cli', 'cli.js');

function load() {
  try {
    return require(entry);
  } catch (error) {
    if (error.code === 'MODULE_NOT_FOUND' && String(error.message).includes(entry)) return undefined;
    throw error;
  }
}

let launcher = load();
if (launcher === undefined && !fs.existsSync(path.join(root, 'tsconfig.build.json'))) {
  process.stderr.write(
    `ecr-kms-replication: ${entry} is missing and this installed package has no sources to compile it from: reinstall it (npm install ecr-kms-replication)\n`,
  );
  process.exit(1);
}
if (launcher === undefined) {
  process.stderr.write('ecr-replication: compiling the project (dist/ has no launcher yet): tsc -p tsconfig.build.json\n');
  const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  const build = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { cwd: root, stdio: ['ignore', 2, 2] });
  if (build.status !== 0) {
    process.stderr.write('ecr-replication: the TypeScript build failed (see above)\n');
    process.exit(1);
  }
  launcher = load();
}
launcher.main(process.argv.slice(2));
