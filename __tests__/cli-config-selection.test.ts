/** config/config-selection.ts: one way to name the config for every command, kept between commands. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  ConfigSelectionError,
  describeSelection,
  lastSynthesizedFrom,
  recordConfig,
  recordSynthesizedFrom,
  selectConfig,
  synthesizedConfigChange,
} from '../config/config-selection';

describe('GIVEN a project folder', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'launcher-selection-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const context = (environment: NodeJS.ProcessEnv = {}) => ({ projectRoot: root, cwd: root, environment });

  test('WHEN nothing names a config THEN the bundled example is used', () => {
    expect(selectConfig(context())).toEqual({ file: 'ecr-replication.yaml', source: 'default' });
  });

  test('WHEN --config is given THEN that file is used', () => {
    expect(selectConfig(context(), 'prod.yaml')).toEqual({ file: 'prod.yaml', source: 'option' });
  });

  test('WHEN a config was recorded by an earlier --config THEN later commands use it', () => {
    recordConfig(context(), 'configs/prod.yaml');

    expect(selectConfig(context())).toEqual({ file: 'configs/prod.yaml', source: 'recorded' });
  });

  test('WHEN ECR_REPLICATION_CONFIG is set THEN it wins over the recorded config', () => {
    recordConfig(context(), 'prod.yaml');

    expect(selectConfig(context({ ECR_REPLICATION_CONFIG: 'dev.yaml' }))).toEqual({ file: 'dev.yaml', source: 'environment' });
  });

  test('WHEN ECR_REPLICATION_CONFIG and --config name the same file THEN it is used', () => {
    expect(selectConfig(context({ ECR_REPLICATION_CONFIG: './dev.yaml' }), 'dev.yaml')).toEqual({ file: './dev.yaml', source: 'environment' });
  });

  test('fails WHEN ECR_REPLICATION_CONFIG and --config name different files', () => {
    expect(() => selectConfig(context({ ECR_REPLICATION_CONFIG: 'dev.yaml' }), 'prod.yaml')).toThrow(
      new ConfigSelectionError(
        '--config prod.yaml and ECR_REPLICATION_CONFIG=dev.yaml name different config files: give one (unset ECR_REPLICATION_CONFIG, or drop --config)',
      ),
    );
  });

  test('WHEN a config inside the project is recorded THEN the record holds its path relative to the project', () => {
    mkdirSync(path.join(root, 'sub'));

    recordConfig({ projectRoot: root, cwd: path.join(root, 'sub') }, 'prod.yaml');

    expect(readFileSync(path.join(root, '.ecr-replication', 'config.json'), 'utf8')).toBe('{\n  "config": "sub/prod.yaml"\n}\n');
  });

  test('WHEN a config outside the project is recorded THEN the record holds its absolute path', () => {
    recordConfig(context(), '/etc/ecr/prod.yaml');

    expect(selectConfig(context())).toEqual({ file: '/etc/ecr/prod.yaml', source: 'recorded' });
  });

  test('WHEN the record is not JSON THEN it is ignored and the example is used', () => {
    mkdirSync(path.join(root, '.ecr-replication'));
    writeFileSync(path.join(root, '.ecr-replication', 'config.json'), 'not json');

    expect(selectConfig(context()).source).toBe('default');
  });

  test('WHEN an output folder inside the project was synthesized THEN what it came from is recorded', () => {
    recordSynthesizedFrom(root, path.join(root, 'cdktf.out'), { config: path.join(root, 'prod.yaml'), sha256: 'abc' });

    expect(lastSynthesizedFrom(root, path.join(root, 'cdktf.out'))).toEqual({ config: path.join(root, 'prod.yaml'), sha256: 'abc' });
    expect(JSON.parse(readFileSync(path.join(root, '.ecr-replication', 'synthesized.json'), 'utf8'))).toEqual({
      'cdktf.out': { config: 'prod.yaml', sha256: 'abc' },
    });
  });

  test('WHEN an output folder outside the project was synthesized (a scratch folder) THEN nothing is recorded', () => {
    const outside = path.join(os.tmpdir(), 'elsewhere', 'cdktf.out');

    recordSynthesizedFrom(root, outside, { config: path.join(root, 'prod.yaml'), sha256: 'abc' });

    expect(lastSynthesizedFrom(root, outside)).toBeUndefined();
  });
});

describe('GIVEN how a config was selected', () => {
  test.each([
    [{ file: 'ecr-replication.yaml', source: 'default' as const }, 'config: ecr-replication.yaml (the default file; --config <file> selects another)'],
    [{ file: 'prod.yaml', source: 'option' as const }, 'config: prod.yaml (--config, recorded in .ecr-replication/config.json)'],
    [{ file: 'prod.yaml', source: 'recorded' as const }, 'config: prod.yaml (recorded in .ecr-replication/config.json)'],
    [{ file: 'dev.yaml', source: 'environment' as const }, 'config: dev.yaml (from ECR_REPLICATION_CONFIG)'],
  ])('WHEN it is %j THEN the config line reads right', (selected, line) => {
    expect(describeSelection(selected)).toBe(line);
  });
});

describe('GIVEN what an output folder was last synthesized from', () => {
  const previous = { config: '/p/prod.yaml', sha256: 'aaaaaaaaaaaaaaaa' };

  test.each([
    ['nothing recorded', undefined, { config: '/p/prod.yaml', sha256: 'bbbbbbbbbbbbbbbb' }, undefined],
    ['the same file, same bytes', previous, { config: '/p/prod.yaml', sha256: 'aaaaaaaaaaaaaaaa' }, undefined],
    [
      'the same file, other bytes',
      previous,
      { config: '/p/prod.yaml', sha256: 'bbbbbbbbbbbbbbbb' },
      'note: prod.yaml changed since cdktf.out was last synthesized from it (sha256 aaaaaaaaaaaa -> bbbbbbbbbbbb): this run synthesizes and uses the new content',
    ],
    [
      'another file',
      previous,
      { config: '/p/ecr-replication.yaml', sha256: 'cccccccccccccccc' },
      'note: cdktf.out was last synthesized from prod.yaml (sha256 aaaaaaaaaaaa); this run synthesizes ecr-replication.yaml (sha256 cccccccccccc) instead',
    ],
  ])('WHEN this run synthesizes %s THEN the note is as expected', (_case, last, next, note) => {
    expect(synthesizedConfigChange(last, next, '/p', 'cdktf.out')).toBe(note);
  });
});
