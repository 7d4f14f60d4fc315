data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name
}

locals {
  filters = [for name in sort(distinct(local.replicated_prefixes)) : name if !anytrue([for other in local.replicated_prefixes : other != name && startswith(name, other)])]
  rules = flatten([
    for destinations in chunklist(var.destinations, 25) : [
      for filters in chunklist(local.filters, 100) : { destinations = destinations, filters = filters }
    ]
  ])
  replicated                  = [for name in var.repository_names : name]
  replicated_prefixes         = concat(var.repository_names, var.namespaces)
  namespace_template_prefixes = [for namespace in var.namespaces : trimsuffix(namespace, "/")]
}

resource "aws_ecr_replication_configuration" "this" {
  replication_configuration {
    dynamic "rule" {
      for_each = local.rules
      content {
        dynamic "destination" {
          for_each = rule.value.destinations
          content {
            region      = destination.value.region
            registry_id = destination.value.registry_id
          }
        }
        dynamic "repository_filter" {
          for_each = rule.value.filters
          content {
            filter      = repository_filter.value
            filter_type = "PREFIX_MATCH"
          }
        }
      }
    }
  }
  lifecycle {
    precondition {
      condition     = length(local.filters) > 0
      error_message = "repository_names and namespaces (received [] and []): list at least one repository name or namespace to replicate"
    }
    precondition {
      condition     = length(local.rules) <= 10
      error_message = "${length(var.destinations)} destinations and ${length(local.filters)} filters need ${length(local.rules)} replication rules (at most 25 destinations and 100 filters each), above the ECR limit of 10: replicate fewer repositories or destinations, or use shared name prefixes (namespaces)."
    }
    precondition {
      condition     = !contains([for destination in var.destinations : "${destination.registry_id}/${destination.region}"], "${local.account_id}/${local.region}")
      error_message = "A destination cannot be the source registry itself (account ${local.account_id} in ${local.region}): remove it from destinations."
    }
    precondition {
      condition     = alltrue([for destination in var.destinations : destination.repositories == null || alltrue([for name in local.replicated : try(destination.repositories[name].encryption_type == "KMS" && destination.repositories[name].kms_key == destination.kms_key_arn, false)])])
      error_message = "A destination lacks a replicated repository, or one is not encrypted with KMS under the destination key: create the repositories there first (module encrypted-repositories), then plan again."
    }
    precondition {
      condition     = alltrue([for destination in var.destinations : destination.creation_template_prefixes == null ? true : length(setsubtract(local.namespace_template_prefixes, destination.creation_template_prefixes)) == 0])
      error_message = "A destination has no creation template for a replicated namespace, so replication would create its repositories with AES256: create the templates there first (module repository-creation-templates), then plan again."
    }
  }
}
