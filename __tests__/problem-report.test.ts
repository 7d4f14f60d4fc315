/** How problems and warnings read: natural order of paths, one cause in many places printed once. */
import { ConfigError, ConfigProblem, formatPath, formatProblemReport, formatWarnings, sortProblems } from '../config/problems';
import { validateConfig } from '../config/load';

const PARTITION_RULE = 'replication cannot cross partitions: the source is in aws, this region in aws-cn; choose a region of aws';

describe('GIVEN problems at several paths', () => {
  test.each<[string, ConfigProblem[], string[]]>([
    [
      'indexes 10 and 2',
      [
        { path: ['sources', 0, 'destinations', 10, 'region'], message: 'm' },
        { path: ['sources', 0, 'destinations', 2, 'region'], message: 'm' },
        { path: ['sources', 0, 'destinations', 1, 'region'], message: 'm' },
      ],
      ['sources[0].destinations[1].region', 'sources[0].destinations[2].region', 'sources[0].destinations[10].region'],
    ],
    [
      'a parent and its fields',
      [
        { path: ['sources', 0, 'region'], message: 'm' },
        { path: ['sources', 0], message: 'm' },
        { path: [], message: 'm' },
      ],
      ['(file)', 'sources[0]', 'sources[0].region'],
    ],
    [
      'keys with numbers',
      [
        { path: ['tags', 'Tag10'], message: 'm' },
        { path: ['tags', 'Tag9'], message: 'm' },
        { path: ['accounts', 'build'], message: 'm' },
      ],
      ['accounts.build', 'tags.Tag9', 'tags.Tag10'],
    ],
  ])('WHEN they are %s THEN they sort in natural order', (_name, problems, expected) => {
    expect(sortProblems(problems).map((problem) => formatPath(problem.path))).toEqual(expected);
  });

  test('WHEN two problems share a path THEN they sort by message', () => {
    const problems: ConfigProblem[] = [
      { path: ['keys', 'alias'], message: 'b rule' },
      { path: ['keys', 'alias'], message: 'a rule' },
    ];
    expect(sortProblems(problems).map((problem) => problem.message)).toEqual(['a rule', 'b rule']);
  });
});

describe('GIVEN a report', () => {
  test('WHEN each problem has its own message THEN each is one line, as before', () => {
    const report = formatProblemReport('bad.yaml', [
      { path: ['sources', 0, 'region'], received: 'us-east-9', message: 'must be a region' },
      { path: ['accounts', 'build', 'id'], received: undefined, message: 'is required' },
    ]);
    expect(report).toBe(
      [
        'bad.yaml: 2 problems found:',
        '  - accounts.build.id (received nothing): is required',
        '  - sources[0].region (received "us-east-9"): must be a region',
      ].join('\n'),
    );
  });

  test('WHEN one message is found in 3 places with one value THEN it is printed once with the value and the places', () => {
    const places = [11, 2, 0].map((index): ConfigProblem => ({
      path: ['sources', 0, 'destinations', index, 'region'],
      received: 'cn-north-1',
      message: PARTITION_RULE,
    }));
    expect(formatProblemReport('bad.yaml', [...places, { path: ['sources', 0, 'account'], received: 'ci', message: 'unknown account' }])).toBe(
      [
        'bad.yaml: 4 problems found:',
        '  - sources[0].account (received "ci"): unknown account',
        `  - 3 places (received "cn-north-1"): ${PARTITION_RULE}`,
        '      sources[0].destinations[0].region',
        '      sources[0].destinations[2].region',
        '      sources[0].destinations[11].region',
      ].join('\n'),
    );
  });

  test('WHEN one message is found in places with different values THEN each place keeps its value', () => {
    expect(
      formatProblemReport('bad.yaml', [
        { path: ['sources', 1, 'region'], received: 'cn-north-1', message: PARTITION_RULE },
        { path: ['sources', 0, 'region'], received: 'cn-northwest-1', message: PARTITION_RULE },
      ]),
    ).toBe(
      [
        'bad.yaml: 2 problems found:',
        `  - 2 places: ${PARTITION_RULE}`,
        '      sources[0].region (received "cn-northwest-1")',
        '      sources[1].region (received "cn-north-1")',
      ].join('\n'),
    );
  });

  test('WHEN a config has 2 destinations of another partition among 12 THEN the error prints the rule once, with both places in index order', () => {
    const config = {
      accounts: { build: { id: '111111111111' } },
      repositories: [{ name: 'web' }],
      sources: [
        {
          account: 'build',
          region: 'us-east-1',
          destinations: [
            'us-west-1',
            'us-west-2',
            'us-east-2',
            'ca-central-1',
            'eu-west-1',
            'eu-west-2',
            'eu-west-3',
            'eu-north-1',
            'eu-central-1',
            'eu-south-1',
          ].map((region) => ({ account: 'build', region })),
        },
      ],
    };
    config.sources[0].destinations.splice(1, 0, { account: 'build', region: 'cn-northwest-1' });
    config.sources[0].destinations.push({ account: 'build', region: 'cn-north-1' });
    expect.assertions(1);
    try {
      validateConfig(config, 'bad.yaml');
    } catch (error) {
      expect((error as ConfigError).message).toBe(
        [
          'bad.yaml: 2 problems found:',
          '  - 2 places: replication cannot cross partitions: the source is in aws, this region in aws-cn; choose a region of aws',
          '      sources[0].destinations[1].region (received "cn-northwest-1")',
          '      sources[0].destinations[11].region (received "cn-north-1")',
        ].join('\n'),
      );
    }
  });
});

describe('GIVEN warnings', () => {
  test('WHEN one warning is found in 3 places THEN it is printed once with its places, and a single one as before', () => {
    const templatesOff = 'templates are off: prefer true';
    const warnings: ConfigProblem[] = [
      ...[10, 1, 2].map((index): ConfigProblem => ({
        path: ['sources', 0, 'destinations', index, 'repositoryCreationTemplates'],
        received: false,
        message: templatesOff,
      })),
      { path: ['repositories', 1, 'scanOnPush'], received: false, message: 'not scanned: prefer true' },
    ];
    expect(formatWarnings('risky.yaml', warnings)).toEqual([
      'warning: risky.yaml: repositories[1].scanOnPush (received false): not scanned: prefer true',
      [
        `warning: risky.yaml: 3 places (received false): ${templatesOff}`,
        '      sources[0].destinations[1].repositoryCreationTemplates',
        '      sources[0].destinations[2].repositoryCreationTemplates',
        '      sources[0].destinations[10].repositoryCreationTemplates',
      ].join('\n'),
    ]);
  });
});
