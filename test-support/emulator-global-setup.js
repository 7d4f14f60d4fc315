/** The emulator layer's global set-up: use ECR_EMULATOR_ENDPOINT when given (.ci/run), else start moto's server for this run. */
'use strict';
const path = require('node:path');
const { startMoto } = require('./moto-server');

module.exports = async () => {
  if (process.env.ECR_EMULATOR_ENDPOINT) return;
  const log = path.join(require('node:os').tmpdir(), `moto-${process.pid}.log`);
  const { endpoint, pid } = await startMoto(log);
  process.env.ECR_EMULATOR_ENDPOINT = endpoint;
  globalThis.__MOTO_PID__ = pid;
  process.stderr.write(`\nemulator layer: started moto's server at ${endpoint} (log ${log})\n`);
};
