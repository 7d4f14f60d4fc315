/**
 * Cross-field rules of the cloud backend (HCP Terraform). Its runs reach AWS
 * only through dynamic provider credentials: each provider alias of a stack
 * assumes its account's `deployRoleArn` with the run's workload identity token,
 * so every account that holds a registry needs one; the optional trust stacks
 * name the project in the subject they trust, so they need the project.
 * Like the other checks, they read the raw document defensively.
 */
import { asArray, asString, isObject, Raw } from './raw-document';
import { ConfigProblem } from './problems';

/** The accounts that hold a registry (a source or a destination), in the order they first appear. */
function registryAccounts(document: Raw): string[] {
  const names = new Set<string>();
  for (const source of asArray(document.sources)) {
    if (!isObject(source)) continue;
    const account = asString(source.account);
    if (account !== undefined) names.add(account);
    for (const destination of asArray(source.destinations)) {
      const name = isObject(destination) ? asString(destination.account) : undefined;
      if (name !== undefined) names.add(name);
    }
  }
  return [...names];
}

export function hcpTerraformProblems(document: unknown): ConfigProblem[] {
  if (!isObject(document) || !isObject(document.backend) || document.backend.type !== 'cloud') return [];
  const backend = document.backend;
  const accounts = isObject(document.accounts) ? document.accounts : {};
  const problems: ConfigProblem[] = [];
  for (const name of registryAccounts(document)) {
    const account = accounts[name];
    if (!isObject(account) || account.deployRoleArn !== undefined) continue;
    const id = asString(account.id) ?? '<account id>';
    problems.push({
      path: ['accounts', name, 'deployRoleArn'],
      received: undefined,
      message: `is required with backend type cloud: HCP Terraform runs reach this account only through dynamic credentials, assuming this role with the run's identity token (no stored keys): add deployRoleArn: arn:aws:iam::${id}:role/ecr-replication-deployer (backend.dynamicCredentials.createTrust: true creates it)`,
    });
  }
  const dynamicCredentials = isObject(backend.dynamicCredentials) ? backend.dynamicCredentials : {};
  if (dynamicCredentials.createTrust === true && backend.project === undefined) {
    problems.push({
      path: ['backend', 'project'],
      received: undefined,
      message:
        'is required with dynamicCredentials.createTrust: each deploy role trusts the subject organization:<organization>:project:<project>:workspace:<workspace>:run_phase:* of its workspaces, so the project must be known: name the project of the workspaces, e.g. project: platform',
    });
  }
  return problems;
}
