/**
 * Starts and stops moto's server (python3 -m moto.server) on a free loopback
 * port. Used by the emulator layer's global set-up and by .ci/run
 * (`node test-support/moto-server.js start <pidfile>` prints the endpoint;
 * `stop <pidfile>` stops it).
 */
'use strict';
const { spawn } = require('node:child_process');
const { createServer } = require('node:net');
const { readFileSync, writeFileSync, rmSync, openSync } = require('node:fs');
const http = require('node:http');

/** A port the OS says is free now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function answers(endpoint) {
  return new Promise((resolve) => {
    const request = http.get(`${endpoint}/moto-api/`, (response) => {
      response.resume();
      resolve(true);
    });
    request.on('error', () => resolve(false));
    request.setTimeout(1000, () => {
      request.destroy();
      resolve(false);
    });
  });
}

/** Starts the server, waits until it answers; resolves { endpoint, pid }. `log`: a file for its output. */
async function startMoto(log = '/dev/null') {
  const port = await freePort();
  const out = openSync(log, 'a');
  const child = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', out, out],
    detached: true,
  });
  child.unref();
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto's server exited with ${child.exitCode} (see ${log}); is moto installed? pip install 'moto[server]'`);
    if (await answers(endpoint)) return { endpoint, pid: child.pid };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  process.kill(-child.pid, 'SIGKILL');
  throw new Error(`moto's server did not answer on ${endpoint} within 30 s (see ${log})`);
}

function stopMoto(pid) {
  try {
    process.kill(-pid, 'SIGTERM');
  } catch (error) {
    if (error.code !== 'ESRCH') throw error;
  }
}

module.exports = { startMoto, stopMoto, freePort };

if (require.main === module) {
  const [command, pidFile, log] = process.argv.slice(2);
  if (command === 'start' && pidFile) {
    startMoto(log).then(
      ({ endpoint, pid }) => {
        writeFileSync(pidFile, String(pid));
        process.stdout.write(`${endpoint}\n`);
      },
      (error) => {
        process.stderr.write(`${error.message}\n`);
        process.exitCode = 1;
      },
    );
  } else if (command === 'stop' && pidFile) {
    try {
      stopMoto(Number(readFileSync(pidFile, 'utf8')));
      rmSync(pidFile, { force: true });
    } catch (error) {
      if (error.code !== 'ENOENT') throw error;
    }
  } else {
    process.stderr.write('usage: node test-support/moto-server.js start <pidfile> [log] | stop <pidfile>\n');
    process.exitCode = 2;
  }
}
