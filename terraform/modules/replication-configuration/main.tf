data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name
}

locals {
  filters = [for name in sort(distinct(var.repository_names)) : name if !anytrue([for other in var.repository_names : other != name && startswith(name, other)])]
  rules = flatten([
    for destinations in chunklist(var.destinations, 25) : [
      for filters in chunklist(local.filters, 100) : { destinations = destinations, filters = filters }
    ]
  ])
  replicated = [for name in var.repository_names : name]
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
  }
}
