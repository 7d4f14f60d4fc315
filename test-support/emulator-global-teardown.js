/** Stops the moto server the global set-up started (none when ECR_EMULATOR_ENDPOINT was given). */
'use strict';
const { stopMoto } = require('./moto-server');

module.exports = async () => {
  if (globalThis.__MOTO_PID__ !== undefined) stopMoto(globalThis.__MOTO_PID__);
};
