data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name
}

locals {
  policy = {
    Version = "2012-10-17"
    Statement = [
      for name, source in var.sources : {
        Sid    = "AllowReplicationFrom${join("", [for part in regexall("[A-Za-z0-9]+", name) : "${upper(substr(part, 0, 1))}${substr(part, 1, -1)}"])}${source.account_id}"
        Effect = "Allow"
        Principal = {
          AWS = "arn:${local.partition}:iam::${source.account_id}:root"
        }
        Action = ["ecr:CreateRepository", "ecr:ReplicateImage"]
        Resource = [
          for filter in source.replication_filters : "arn:${local.partition}:ecr:${local.region}:${local.account_id}:repository/${filter}*"
        ]
      }
    ]
  }
}

resource "aws_ecr_registry_policy" "this" {
  policy = jsonencode(local.policy)
  lifecycle {
    precondition {
      condition     = !contains([for source in values(var.sources) : source.account_id], local.account_id)
      error_message = "Source account ${local.account_id} is the registry's own account: same-account replication needs no registry policy; remove it from sources."
    }
  }
}
