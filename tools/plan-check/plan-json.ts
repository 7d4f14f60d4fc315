/**
 * The parts of Terraform's machine-readable plan (`terraform show -json
 * <planfile>`, format 1.x) that the project reads. Everything is optional:
 * the JSON is produced by whichever Terraform the user runs, and readers
 * walk it defensively.
 */

/** One action of a resource change; a replacement is ["delete","create"] or ["create","delete"]. */
export type PlanAction = 'no-op' | 'create' | 'read' | 'update' | 'delete' | 'forget';

export interface PlanResourceChange {
  /** `aws_ecr_repository.repositories["web"]` */
  readonly address: string;
  /** Set when a `moved` block moved the instance: its address in the prior state. */
  readonly previous_address?: string;
  readonly mode?: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  readonly provider_name?: string;
  readonly change: {
    readonly actions: readonly PlanAction[];
    readonly before?: Readonly<Record<string, unknown>> | null;
    readonly after?: Readonly<Record<string, unknown>> | null;
    readonly after_unknown?: Readonly<Record<string, unknown>>;
    /** Present when an `import` block imports the instance. */
    readonly importing?: { readonly id?: string };
    readonly replace_paths?: readonly (readonly (string | number)[])[];
  };
  /** `delete_because_no_resource_config`, `replace_because_cannot_update`, ... */
  readonly action_reason?: string;
}

export interface PlanStateResource {
  readonly address: string;
  readonly mode?: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  readonly values?: Readonly<Record<string, unknown>>;
}

export interface PlanStateModule {
  readonly resources?: readonly PlanStateResource[];
  readonly child_modules?: readonly PlanStateModule[];
}

/** A provider configuration block as `configuration.provider_config` shows it (constant expressions only matter here). */
export interface PlanProviderConfig {
  readonly name?: string;
  readonly alias?: string;
  readonly expressions?: Readonly<Record<string, unknown>>;
}

export interface TerraformPlanJson {
  readonly format_version?: string;
  readonly terraform_version?: string;
  readonly resource_changes?: readonly PlanResourceChange[];
  /** Changes Terraform detected outside of it (and, in a -refresh-only plan, the moves it records). */
  readonly resource_drift?: readonly PlanResourceChange[];
  readonly output_changes?: Readonly<Record<string, { readonly actions: readonly PlanAction[] }>>;
  /** The configuration the plan was made from: provider blocks and which one each resource uses. */
  readonly configuration?: {
    readonly provider_config?: Readonly<Record<string, PlanProviderConfig>>;
    readonly root_module?: { readonly resources?: readonly { readonly address: string; readonly provider_config_key?: string }[] };
  };
  /** The state the plan started from (absent for a stack never applied). */
  readonly prior_state?: { readonly values?: { readonly root_module?: PlanStateModule } };
  readonly planned_values?: { readonly root_module?: PlanStateModule; readonly outputs?: Readonly<Record<string, unknown>> };
  readonly errored?: boolean;
  /** Terraform ≥ 1.8 (-destroy plans): true when the plan was made with -destroy. */
  readonly applyable?: boolean;
  readonly complete?: boolean;
}
