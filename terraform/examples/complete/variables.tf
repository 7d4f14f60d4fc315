variable "accounts" {
  description = "AWS accounts by name: the 12-digit id, the role Terraform assumes there (null: the caller's credentials), who administers and who uses its keys (only through ECR)."
  type = map(object({
    id                 = string
    deploy_role_arn    = optional(string)
    key_administrators = optional(list(string), [])
    key_users          = optional(list(string), [])
  }))
  validation {
    condition     = alltrue([for name, account in var.accounts : can(regex("^\\d{12}$", account.id))])
    error_message = "${join(", ", [for name, account in var.accounts : "accounts[\"${name}\"].id (received ${jsonencode(account.id)})" if !(can(regex("^\\d{12}$", account.id)))])}: must be a 12-digit AWS account id in quotes, e.g. \"111111111111\""
  }
  validation {
    condition     = alltrue([for name, account in var.accounts : account.deploy_role_arn == null ? true : (can(regex("^arn:(aws|aws-us-gov|aws-cn):iam::\\d{12}:role/[\\w+=,.@/-]{1,512}$", account.deploy_role_arn)))])
    error_message = "${join(", ", [for name, account in var.accounts : "accounts[\"${name}\"].deploy_role_arn (received ${jsonencode(account.deploy_role_arn)})" if !(account.deploy_role_arn == null ? true : (can(regex("^arn:(aws|aws-us-gov|aws-cn):iam::\\d{12}:role/[\\w+=,.@/-]{1,512}$", account.deploy_role_arn))))])}: must be an IAM role ARN: arn:<partition>:iam::<12-digit account>:role/<name> (e.g. arn:aws:iam::111111111111:role/ecr-replication-deployer)"
  }
  validation {
    condition     = alltrue(flatten([for name, account in var.accounts : [for index, arn in account.key_administrators : arn != "*"]]))
    error_message = "${join(", ", flatten([for name, account in var.accounts : [for index, arn in account.key_administrators : "accounts[\"${name}\"].key_administrators[${index}] (received ${jsonencode(arn)})" if !(arn != "*")]]))}: must not be the wildcard principal \"*\" (anyone, in any AWS account): name the IAM roles or users instead, e.g. arn:aws:iam::111111111111:role/platform-admin"
  }
  validation {
    condition     = alltrue(flatten([for name, account in var.accounts : [for index, arn in account.key_administrators : arn == "*" || can(regex("^arn:(aws|aws-us-gov|aws-cn):(iam::\\d{12}:(root|user/[\\w+=,.@/-]{1,512}|role/[\\w+=,.@/-]{1,512})|sts::\\d{12}:assumed-role/[\\w+=,.@-]{1,64}/[\\w+=,.@-]{1,64})$", arn))]]))
    error_message = "${join(", ", flatten([for name, account in var.accounts : [for index, arn in account.key_administrators : "accounts[\"${name}\"].key_administrators[${index}] (received ${jsonencode(arn)})" if !(arn == "*" || can(regex("^arn:(aws|aws-us-gov|aws-cn):(iam::\\d{12}:(root|user/[\\w+=,.@/-]{1,512}|role/[\\w+=,.@/-]{1,512})|sts::\\d{12}:assumed-role/[\\w+=,.@-]{1,64}/[\\w+=,.@-]{1,64})$", arn)))]]))}: must be an IAM principal ARN: arn:<partition>:iam::<12-digit account>:root, :user/<name> or :role/<name>, or arn:<partition>:sts::<12-digit account>:assumed-role/<role>/<session> (e.g. arn:aws:iam::111111111111:role/platform-admin)"
  }
  validation {
    condition     = alltrue(flatten([for name, account in var.accounts : [for index, arn in account.key_users : arn != "*"]]))
    error_message = "${join(", ", flatten([for name, account in var.accounts : [for index, arn in account.key_users : "accounts[\"${name}\"].key_users[${index}] (received ${jsonencode(arn)})" if !(arn != "*")]]))}: must not be the wildcard principal \"*\" (anyone, in any AWS account): name the IAM roles or users instead, e.g. arn:aws:iam::111111111111:role/platform-admin"
  }
  validation {
    condition     = alltrue(flatten([for name, account in var.accounts : [for index, arn in account.key_users : arn == "*" || can(regex("^arn:(aws|aws-us-gov|aws-cn):(iam::\\d{12}:(root|user/[\\w+=,.@/-]{1,512}|role/[\\w+=,.@/-]{1,512})|sts::\\d{12}:assumed-role/[\\w+=,.@-]{1,64}/[\\w+=,.@-]{1,64})$", arn))]]))
    error_message = "${join(", ", flatten([for name, account in var.accounts : [for index, arn in account.key_users : "accounts[\"${name}\"].key_users[${index}] (received ${jsonencode(arn)})" if !(arn == "*" || can(regex("^arn:(aws|aws-us-gov|aws-cn):(iam::\\d{12}:(root|user/[\\w+=,.@/-]{1,512}|role/[\\w+=,.@/-]{1,512})|sts::\\d{12}:assumed-role/[\\w+=,.@-]{1,64}/[\\w+=,.@-]{1,64})$", arn)))]]))}: must be an IAM principal ARN: arn:<partition>:iam::<12-digit account>:root, :user/<name> or :role/<name>, or arn:<partition>:sts::<12-digit account>:assumed-role/<role>/<session> (e.g. arn:aws:iam::111111111111:role/platform-admin)"
  }
}

variable "source_registry" {
  description = "The registry whose repositories are replicated: an account of var.accounts and a region."
  type = object({
    account = string
    region  = string
  })
  validation {
    condition     = contains(keys(var.accounts), var.source_registry.account)
    error_message = "source_registry.account (received ${jsonencode(var.source_registry.account)}): unknown account: define it under accounts or use one of ${join(", ", sort(keys(var.accounts)))}"
  }
  validation {
    condition     = contains(["af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-7", "ca-central-1", "ca-west-1", "cn-north-1", "cn-northwest-1", "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3", "il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1", "us-east-1", "us-east-2", "us-gov-east-1", "us-gov-west-1", "us-west-1", "us-west-2"], var.source_registry.region)
    error_message = "source_registry.region (received ${jsonencode(var.source_registry.region)}): must be an AWS region where ECR and KMS are offered, e.g. us-east-1, eu-west-1 or us-gov-west-1"
  }
}

variable "destinations" {
  description = "The registries that receive every replicated repository, 1 to 3 (one provider slot each): account, region, and whether repository creation templates are created there (off only for emulators without them)."
  type = list(object({
    account                       = string
    region                        = string
    repository_creation_templates = optional(bool, true)
  }))
  validation {
    condition     = length(var.destinations) >= 1 && length(var.destinations) <= 3
    error_message = "destinations (received ${length(var.destinations)} registries): must hold 1 to 3 destination registries, one provider slot each: for more, add a provider and a module call per slot (README.md, \"More destinations\")"
  }
  validation {
    condition     = alltrue([for index, destination in var.destinations : contains(keys(var.accounts), destination.account)])
    error_message = join("; ", [for index, destination in var.destinations : "destinations[${index}].account (received ${jsonencode(destination.account)}): unknown account: define it under accounts or use one of ${join(", ", sort(keys(var.accounts)))}" if !(contains(keys(var.accounts), destination.account))])
  }
  validation {
    condition     = alltrue([for index, destination in var.destinations : contains(["af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-7", "ca-central-1", "ca-west-1", "cn-north-1", "cn-northwest-1", "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3", "il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1", "us-east-1", "us-east-2", "us-gov-east-1", "us-gov-west-1", "us-west-1", "us-west-2"], destination.region)])
    error_message = "${join(", ", [for index, destination in var.destinations : "destinations[${index}].region (received ${jsonencode(destination.region)})" if !(contains(["af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-7", "ca-central-1", "ca-west-1", "cn-north-1", "cn-northwest-1", "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3", "il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1", "us-east-1", "us-east-2", "us-gov-east-1", "us-gov-west-1", "us-west-1", "us-west-2"], destination.region))])}: must be an AWS region where ECR and KMS are offered, e.g. us-east-1, eu-west-1 or us-gov-west-1"
  }
  validation {
    condition     = alltrue([for index, destination in var.destinations : destination.account != var.source_registry.account || destination.region != var.source_registry.region])
    error_message = "${join(", ", [for index, destination in var.destinations : "destinations[${index}] (received ${jsonencode(destination)})" if !(destination.account != var.source_registry.account || destination.region != var.source_registry.region)])}: a destination cannot be its own source registry: change the account or the region"
  }
  validation {
    condition     = length(distinct([for destination in var.destinations : "${destination.account}/${destination.region}"])) == length(var.destinations)
    error_message = "destinations: each destination registry (account and region) may be listed once: remove the duplicate"
  }
  validation {
    condition     = alltrue([for index, destination in var.destinations : destination.repository_creation_templates || length(var.namespaces) == 0])
    error_message = join("; ", [for index, destination in var.destinations : "destinations[${index}].repository_creation_templates (received ${jsonencode(destination.repository_creation_templates)}): this source replicates the namespaces ${join(", ", var.namespaces)}, whose repositories only creation templates create (with the customer-managed key) in the destination: set true, or replicate listed repositories only" if !(destination.repository_creation_templates || length(var.namespaces) == 0)])
  }
}

variable "repositories" {
  description = "Repositories by name, created in the source and in every destination (module encrypted-repositories: tag mutability, scan on push, lifecycle rules, principals that may pull or push)."
  type = map(object({
    image_tag_mutability = optional(string, "IMMUTABLE")
    scan_on_push         = optional(bool, true)
    lifecycle_rules = optional(list(object({
      rule_priority = number
      description   = optional(string)
      selection = object({
        tag_status       = string
        tag_prefix_list  = optional(list(string))
        tag_pattern_list = optional(list(string))
        count_type       = string
        count_unit       = optional(string)
        count_number     = number
      })
      action_type = optional(string, "expire")
    })), [])
    pull_principals = optional(list(string), [])
    push_principals = optional(list(string), [])
  }))
  default = {}
  validation {
    condition     = length(var.repositories) + length(var.namespaces) > 0
    error_message = "repositories and namespaces (received {} and []): list at least one repository or namespace to replicate"
  }
}

variable "namespaces" {
  description = "Namespaces (prefixes ending in \"/\", e.g. team-a/) replicated as one filter each, repositories created later included; the destinations create their repositories from creation templates."
  type        = list(string)
  default     = []
  validation {
    condition     = alltrue([for index, namespace in var.namespaces : length(namespace) >= 2 && length(namespace) <= 255])
    error_message = "${join(", ", [for index, namespace in var.namespaces : "namespaces[${index}] (received ${jsonencode(namespace)})" if !(length(namespace) >= 2 && length(namespace) <= 255)])}: must be 2 to 255 characters long (a replication filter, and room for a repository name of at most 256)"
  }
  validation {
    condition     = alltrue([for index, namespace in var.namespaces : !(length(namespace) >= 2 && length(namespace) <= 255) || can(regex("^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)+$", namespace))])
    error_message = "${join(", ", [for index, namespace in var.namespaces : "namespaces[${index}] (received ${jsonencode(namespace)})" if !(!(length(namespace) >= 2 && length(namespace) <= 255) || can(regex("^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)+$", namespace)))])}: must be a repository-name prefix of lowercase segments (letters and digits separated by \".\", \"_\" or \"-\"), each followed by \"/\", e.g. team-a/ or org/team-b/"
  }
}

variable "keys" {
  description = "Settings of every registry's key (module kms-key): alias, deletion window, rotation period (null: KMS's yearly default), multi-Region, and the protection from destroy (false only to tear down)."
  type = object({
    alias                   = optional(string, "alias/ecr-kms-replication")
    deletion_window_in_days = optional(number, 30)
    rotation_period_in_days = optional(number)
    multi_region            = optional(bool, false)
    prevent_destroy         = optional(bool, true)
  })
  default = {}
}

variable "default_lifecycle_rules" {
  description = "Lifecycle rules of repositories without their own and of the repositories creation templates create."
  type = list(object({
    rule_priority = number
    description   = optional(string)
    selection = object({
      tag_status       = string
      tag_prefix_list  = optional(list(string))
      tag_pattern_list = optional(list(string))
      count_type       = string
      count_unit       = optional(string)
      count_number     = number
    })
    action_type = optional(string, "expire")
  }))
  default = [
    {
      rule_priority = 1
      description   = "expire untagged images after 14 days"
      selection = {
        tag_status   = "untagged"
        count_type   = "sinceImagePushed"
        count_unit   = "days"
        count_number = 14
      }
    },
  ]
}

variable "scanning" {
  description = "Each registry's scanning configuration (module registry-scanning): enabled, scan type and rules; enabled = false leaves the registries' own."
  type = object({
    enabled   = optional(bool, true)
    scan_type = optional(string, "BASIC")
    rules = optional(list(object({
      frequency = string
      filters   = list(string)
    })), [{ frequency = "SCAN_ON_PUSH", filters = ["*"] }])
  })
  default = {}
}

variable "tags" {
  description = "Tags of every resource (provider default tags) and of the repositories creation templates create."
  type        = map(string)
  default     = {}
}

variable "endpoint" {
  description = "Base URL of an AWS-compatible endpoint (LocalStack, moto) for every AWS call, with the provider settings emulators need; null: AWS."
  type        = string
  default     = null
  validation {
    condition     = var.endpoint == null ? true : can(regex("^https?://[^\\s/]+(:\\d+)?/?$", var.endpoint))
    error_message = "endpoint (received ${jsonencode(var.endpoint)}): must be an http(s) URL with host and optional port, e.g. http://localhost:4566"
  }
}
