data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name
  lifecycle_policy = length(var.lifecycle_rules) > 0 ? jsonencode({
    rules = [
      for rule in var.lifecycle_rules : merge(
        {
          rulePriority = rule.rule_priority
          selection = {
            for field, value in {
              tagStatus      = rule.selection.tag_status
              tagPrefixList  = rule.selection.tag_prefix_list
              tagPatternList = rule.selection.tag_pattern_list
              countType      = rule.selection.count_type
              countUnit      = rule.selection.count_unit
              countNumber    = rule.selection.count_number
            } : field => value if value != null
          }
          action = { type = rule.action_type }
        },
        rule.description == null ? {} : { description = rule.description },
      )
    ]
  }) : null
  prefixes = sort(distinct([for filter in var.replication_filters : length(split("/", filter)) > 1 ? join("/", slice(split("/", filter), 0, length(split("/", filter)) - 1)) : "ROOT"]))
}

resource "aws_iam_role" "this" {
  name        = coalesce(var.role_name, "ecr-replication-templates-${local.region}")
  description = "Assumed by ECR to create replicated repositories encrypted with the registry key in ${local.region}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid    = "AllowEcrForThisAccount"
        Effect = "Allow"
        Principal = {
          Service = "ecr.amazonaws.com"
        }
        Action = "sts:AssumeRole"
        Condition = {
          StringEquals = {
            "aws:SourceAccount" = local.account_id
          }
        }
      },
    ]
  })
  tags = var.tags
}

resource "aws_iam_role_policy" "this" {
  name = "create-replicated-repositories"
  role = aws_iam_role.this.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid    = "CreateReplicatedRepositories"
        Effect = "Allow"
        Action = ["ecr:CreateRepository", "ecr:ReplicateImage", "ecr:TagResource"]
        Resource = [
          for filter in var.replication_filters : "arn:${local.partition}:ecr:${local.region}:${local.account_id}:repository/${filter}*"
        ]
      },
      {
        Sid      = "EncryptWithTheRegistryKey"
        Effect   = "Allow"
        Action   = ["kms:CreateGrant", "kms:DescribeKey", "kms:RetireGrant"]
        Resource = var.kms_key_arn
        Condition = {
          StringEquals = {
            "kms:ViaService" = "ecr.${local.region}.${data.aws_partition.current.dns_suffix}"
          }
        }
      },
    ]
  })
}

resource "aws_ecr_repository_creation_template" "this" {
  for_each             = toset(local.prefixes)
  prefix               = each.value
  applied_for          = ["REPLICATION"]
  description          = "Replicated repositories: encrypted with the registry key, immutable tags (ecr-kms-replication)"
  custom_role_arn      = aws_iam_role.this.arn
  image_tag_mutability = "IMMUTABLE"
  lifecycle_policy     = local.lifecycle_policy
  resource_tags        = length(var.resource_tags) > 0 ? var.resource_tags : null
  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = var.kms_key_arn
  }
  depends_on = [aws_iam_role_policy.this]
}
