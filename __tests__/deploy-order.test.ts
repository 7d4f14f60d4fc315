/**
 * The order of a run (cli/deploy/order.ts) as pure functions: levels from the
 * stacks' dependencies, and the phases of a deploy from the up-front plans
 * (additions up the levels, removals down them) and of a destroy.
 */
import { deployOrder, destroyOrder, PlanState, stackLevels, StackNode } from '../cli/deploy/order';
import { terraformErrors } from '../cli/deploy/terraform-messages';
import { summarizePlan } from '../cli/deploy/plan-summary';
import { change, planJson, registryPolicy, repositoryValues } from '../test-support/plan-json';

const WEST = 'ecr-destination-build-us-west-2';
const PROD = 'ecr-destination-prod-eu-west-1';
const SOURCE = 'ecr-source-build-us-east-1';
const STACKS: StackNode[] = [
  { name: WEST, dependencies: [] },
  { name: PROD, dependencies: [] },
  { name: SOURCE, dependencies: [PROD, WEST] },
];

const none: PlanState = { kind: 'no-changes' };
const adds: PlanState = { kind: 'changes', removes: false, moves: false, additionTargets: ['aws_ecr_repository.repositories["base"]'] };
const deletes: PlanState = { kind: 'changes', removes: true, moves: false, additionTargets: [] };
const addsAndDeletes: PlanState = { kind: 'changes', removes: true, moves: true, additionTargets: ['aws_ecr_repository.repositories["base"]'] };
const failed: PlanState = { kind: 'failed' };
const plans = (entries: Record<string, PlanState>) => new Map(Object.entries(entries));

test('GIVEN destination and source stacks WHEN levels are computed THEN destinations are 0 and a source one more than its deepest dependency', () => {
  const both: StackNode[] = [
    ...STACKS,
    { name: 'ecr-destination-build-us-east-1', dependencies: [] },
    { name: 'ecr-source-prod-eu-west-1', dependencies: [PROD] },
  ];
  expect(Object.fromEntries(stackLevels(both))).toEqual({
    [WEST]: 0,
    [PROD]: 0,
    [SOURCE]: 1,
    'ecr-destination-build-us-east-1': 0,
    'ecr-source-prod-eu-west-1': 1,
  });
});

describe('GIVEN the up-front plans of a deploy', () => {
  test('WHEN destinations add repositories and the source waits for them THEN destinations apply first and the source is planned again after them', () => {
    expect(deployOrder(STACKS, plans({ [WEST]: adds, [PROD]: adds, [SOURCE]: failed }))).toEqual({
      phases: [
        {
          title: 'destinations',
          steps: [
            { kind: 'apply', stack: WEST },
            { kind: 'apply', stack: PROD },
          ],
        },
        { title: 'sources', steps: [{ kind: 'replan', stack: SOURCE, after: [WEST, PROD] }] },
      ],
      failed: [],
      waiting: [],
    });
  });

  test('WHEN only the source changes THEN its checked plan is applied as it is', () => {
    expect(deployOrder(STACKS, plans({ [WEST]: none, [PROD]: none, [SOURCE]: adds })).phases).toEqual([
      { title: 'sources', steps: [{ kind: 'apply', stack: SOURCE }] },
    ]);
  });

  test('WHEN a destination changes and the source has nothing to change THEN the source is not planned again', () => {
    expect(deployOrder(STACKS, plans({ [WEST]: adds, [PROD]: none, [SOURCE]: none })).phases).toEqual([
      { title: 'destinations', steps: [{ kind: 'apply', stack: WEST }] },
    ]);
  });

  test('fails WHEN the source plan fails and no destination of the run applies anything: nothing is applied', () => {
    expect(deployOrder(STACKS, plans({ [WEST]: adds, [PROD]: none, [SOURCE]: failed }))).toEqual({
      phases: [
        { title: 'destinations', steps: [{ kind: 'apply', stack: WEST }] },
        { title: 'sources', steps: [{ kind: 'replan', stack: SOURCE, after: [WEST] }] },
      ],
      failed: [],
      waiting: [],
    });
    expect(deployOrder(STACKS, plans({ [WEST]: none, [PROD]: none, [SOURCE]: failed }))).toEqual({ phases: [], failed: [SOURCE], waiting: [] });
  });

  test('WHEN destinations only delete repositories THEN the source applies first and the deletions come after it, from the same plans', () => {
    expect(deployOrder(STACKS, plans({ [WEST]: deletes, [PROD]: deletes, [SOURCE]: adds })).phases).toEqual([
      { title: 'sources', steps: [{ kind: 'apply', stack: SOURCE }] },
      {
        title: 'destination deletions',
        steps: [
          { kind: 'deletions', stack: WEST, replan: false, after: [SOURCE] },
          { kind: 'deletions', stack: PROD, replan: false, after: [SOURCE] },
        ],
      },
    ]);
  });

  test('WHEN a destination adds and deletes repositories THEN its moves, then its additions go first, the source next, its deletions last from a new plan', () => {
    expect(deployOrder(STACKS, plans({ [WEST]: addsAndDeletes, [PROD]: none, [SOURCE]: failed })).phases).toEqual([
      {
        title: 'destinations',
        steps: [
          { kind: 'moves', stack: WEST },
          { kind: 'additions', stack: WEST, targets: ['aws_ecr_repository.repositories["base"]'] },
        ],
      },
      { title: 'sources', steps: [{ kind: 'replan', stack: SOURCE, after: [WEST] }] },
      { title: 'destination deletions', steps: [{ kind: 'deletions', stack: WEST, replan: true, after: [SOURCE] }] },
    ]);
  });

  test('WHEN a destination deletes repositories and its source is not in the run THEN the deletions wait, saying how to run both', () => {
    expect(deployOrder(STACKS, plans({ [WEST]: deletes }))).toEqual({
      phases: [],
      failed: [],
      waiting: [
        {
          stack: WEST,
          reason: `its removals (repositories deleted, registry-policy grants dropped) wait until ${SOURCE} stops replicating what they remove: deploy it in the same run (npm run deploy -- ${WEST} ${SOURCE})`,
        },
      ],
    });
  });
});

test('GIVEN a destroy of every stack WHEN it is ordered THEN sources go first, then destinations', () => {
  expect(destroyOrder(STACKS, [WEST, PROD, SOURCE])).toEqual([
    { title: 'sources', steps: [{ kind: 'apply', stack: SOURCE }] },
    {
      title: 'destinations',
      steps: [
        { kind: 'apply', stack: WEST },
        { kind: 'apply', stack: PROD },
      ],
    },
  ]);
});

describe('GIVEN a plan JSON', () => {
  test('WHEN a destination adds one repository and destroys a retired one THEN the summary says so, with the additions to target', () => {
    const summary = summarizePlan(
      planJson([
        change({ type: 'aws_ecr_repository', address: 'aws_ecr_repository.repositories["base"]', actions: ['create'], after: { name: 'base' } }),
        change({
          type: 'aws_ecr_repository',
          address: 'aws_ecr_repository.retired_web',
          previous: 'aws_ecr_repository.repositories["web"]',
          actions: ['delete'],
          before: repositoryValues('web'),
        }),
        change({ type: 'aws_kms_key', address: 'aws_kms_key.kms_key', actions: ['no-op'] }),
      ]),
    );
    expect(summary).toEqual({
      add: 1,
      change: 0,
      destroy: 1,
      import: 0,
      forget: 0,
      outputs: false,
      removes: true,
      moves: true,
      additionTargets: ['aws_ecr_repository.repositories["base"]'],
      changes: ['aws_ecr_repository.repositories["base"] create', 'aws_ecr_repository.retired_web delete'],
      createsAdoptable: true,
    });
  });

  test('WHEN a destination only narrows its registry policy THEN that is a removal, not an addition to apply first', () => {
    const policy = (prefixes: string[]) => registryPolicy(['333333333333'], prefixes);
    const summary = summarizePlan(
      planJson([
        change({
          type: 'aws_ecr_registry_policy',
          address: 'aws_ecr_registry_policy.registry_policy',
          actions: ['update'],
          before: { policy: policy(['api', 'web']) },
          after: { policy: policy(['api']) },
        }),
      ]),
    );
    expect({ removes: summary.removes, additionTargets: summary.additionTargets }).toEqual({ removes: true, additionTargets: [] });
  });

  test('WHEN a destination widens its registry policy THEN that is an addition', () => {
    const policy = (sources: string[]) => registryPolicy(sources, ['web']);
    const summary = summarizePlan(
      planJson([
        change({
          type: 'aws_ecr_registry_policy',
          address: 'aws_ecr_registry_policy.registry_policy',
          actions: ['update'],
          before: { policy: policy(['333333333333']) },
          after: { policy: policy(['333333333333', '444444444444']) },
        }),
      ]),
    );
    expect({ removes: summary.removes, additionTargets: summary.additionTargets }).toEqual({
      removes: false,
      additionTargets: ['aws_ecr_registry_policy.registry_policy'],
    });
  });
});

describe("GIVEN terraform's error output", () => {
  test("WHEN the guard refuses a source plan THEN the reason is the precondition's message, without the source snippet", () => {
    const stderr = [
      '',
      'Error: Resource precondition failed',
      '',
      '  on cdk.tf.json line 206, in resource.aws_ecr_replication_configuration.replication.lifecycle.precondition[0]:',
      ' 206:               "condition": "${alltrue([])}",',
      '    ├────────────────',
      '    │ data.terraform_remote_state.destination_a_us_west_2 is tuple with 1 element',
      '',
      'Destination stack ecr-destination-a-us-west-2 has not been applied, or one of',
      'its repositories is missing or not encrypted with its customer-managed KMS',
      'key. Apply it first (npm run deploy -- ecr-destination-a-us-west-2), then plan',
      'this stack again.',
      '',
    ].join('\n');
    expect(terraformErrors(stderr)).toEqual([
      'Resource precondition failed: Destination stack ecr-destination-a-us-west-2 has not been applied, or one of its repositories is missing or not encrypted with its customer-managed KMS key. Apply it first (npm run deploy -- ecr-destination-a-us-west-2), then plan this stack again.',
    ]);
  });

  test('WHEN an apply fails on a resource THEN the reason names the resource', () => {
    const stderr = [
      '',
      "Error: ECR Repository (web) not empty, consider using force_delete: operation error ECR: DeleteRepository, RepositoryNotEmptyException: The repository with name 'web' cannot be deleted because it still contains images",
      '',
      '',
    ].join('\n');
    expect(terraformErrors(`${stderr}\n  with aws_ecr_repository.retired_web,\n  on cdk.tf.json line 3:\n`)).toEqual([
      "ECR Repository (web) not empty, consider using force_delete: operation error ECR: DeleteRepository, RepositoryNotEmptyException: The repository with name 'web' cannot be deleted because it still contains images (aws_ecr_repository.retired_web)",
    ]);
  });

  test.each([
    [
      'aws_ecr_repository.repositories["web"]',
      'Instance cannot be destroyed (aws_ecr_repository.repositories["web"]): repository web would be destroyed with its images, and the stacks protect repositories (keys.preventDestroy): to keep it and its images but stop managing it, put it back with removal: retain; to destroy it, put it back with removal: destroy (ECR refuses while it holds images); see "Changing and retiring" in the README',
    ],
    [
      'aws_kms_key.kms_key',
      'Instance cannot be destroyed (aws_kms_key.kms_key): the key would be deleted, and every image it encrypts becomes unreadable when its deletion window ends: the stacks protect keys (keys.preventDestroy); set keys.preventDestroy: false only to tear down (see "Tearing everything down" in the README)',
    ],
    [
      'aws_iam_role.creation_template_role',
      'Instance cannot be destroyed (aws_iam_role.creation_template_role): Resource aws_iam_role.creation_template_role has lifecycle.prevent_destroy set, but the plan calls for this resource to be destroyed. To avoid this error and continue with the plan, either disable lifecycle.prevent_destroy or reduce the scope of the plan using the -target option.',
    ],
  ])('WHEN a plan would destroy the protected %s THEN the reason says what to do in the config', (address, reason) => {
    // Terraform 1.11's output for prevent_destroy: the address is in the detail, with no `with` line.
    const stderr = [
      '',
      'Error: Instance cannot be destroyed',
      '',
      '  on cdk.tf.json line 58:',
      '  58:       "aws_ecr_repository": {',
      '',
      `Resource ${address} has lifecycle.prevent_destroy`,
      'set, but the plan calls for this resource to be destroyed. To avoid this',
      'error and continue with the plan, either disable lifecycle.prevent_destroy or',
      'reduce the scope of the plan using the -target option.',
      '',
    ].join('\n');
    expect(terraformErrors(stderr)).toEqual([reason]);
  });
});
