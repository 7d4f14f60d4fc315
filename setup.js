/* global expect -- jest provides expect to setup files */
// The cdktf jest matchers (toHaveResource, toHaveResourceWithProperties, toBeValidTerraform, ...), loaded on
// first use: requiring cdktf costs a test file one to two seconds, and most test files never call them.
const CDKTF_MATCHERS = [
  'toHaveResource',
  'toHaveResourceWithProperties',
  'toHaveDataSource',
  'toHaveDataSourceWithProperties',
  'toHaveProvider',
  'toHaveProviderWithProperties',
  'toBeValidTerraform',
  'toPlanSuccessfully',
];

let loaded;
function cdktfMatchers() {
  if (!loaded) {
    // Testing.setupJest() hands its matchers to global.expect.extend: catch them, keep the real expect.
    const realExpect = global.expect;
    const caught = {};
    global.expect = Object.assign(Object.create(realExpect), { extend: (matchers) => Object.assign(caught, matchers) });
    try {
      require('cdktf').Testing.setupJest();
    } finally {
      global.expect = realExpect;
    }
    const missing = CDKTF_MATCHERS.filter((name) => typeof caught[name] !== 'function');
    if (missing.length > 0) throw new Error(`cdktf's Testing.setupJest() no longer defines ${missing.join(', ')}: update setup.js`);
    loaded = caught;
  }
  return loaded;
}

expect.extend(
  Object.fromEntries(
    CDKTF_MATCHERS.map((name) => [
      name,
      function (...args) {
        return cdktfMatchers()[name].apply(this, args);
      },
    ]),
  ),
);
