import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { terraformEnvironment } from '../tools/terraform-cli';

let root: string;
beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'terraform-cli-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("GIVEN the environment the project's commands run terraform with", () => {
  test.each([
    ['no GOGC', {}, '400'],
    ['GOGC=100', { GOGC: '100' }, '100'],
    ['GOGC=off', { GOGC: 'off' }, 'off'],
  ])('WHEN the command runs with %s THEN terraform and the providers it starts get GOGC=%s', (_, base, expected) => {
    expect(terraformEnvironment(root, { PATH: '/usr/bin', ...base }).GOGC).toBe(expected);
  });

  test('THEN it points at the CLI config in the project (plugin cache beside it), keeps the rest of the environment and runs non-interactively', () => {
    const environment = terraformEnvironment(root, { PATH: '/usr/bin', TF_PLUGIN_MIRROR: '/srv/mirror' });
    const file = path.join(root, '.terraform-cli', 'terraformrc');
    expect(environment).toEqual({
      PATH: '/usr/bin',
      TF_PLUGIN_MIRROR: '/srv/mirror',
      GOGC: '400',
      TF_CLI_CONFIG_FILE: file,
      CHECKPOINT_DISABLE: '1',
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
    });
    expect(readFileSync(file, 'utf8')).toContain(`plugin_cache_dir = ${JSON.stringify(path.join(root, '.terraform-cli', 'plugin-cache'))}\n`);
  });
});
