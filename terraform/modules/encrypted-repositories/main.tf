data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name
}

locals {
  lifecycle_policies = {
    for name, repository in var.repositories : name => jsonencode({
      rules = [
        for rule in repository.lifecycle_rules : merge(
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
    }) if length(repository.lifecycle_rules) > 0
  }
  repository_policies = {
    for name, repository in var.repositories : name => jsonencode({
      Version = "2012-10-17"
      Statement = concat(
        length(repository.pull_principals) > 0 ? [{ Sid = "AllowPull", Effect = "Allow", Principal = { AWS = repository.pull_principals }, Action = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"] }] : [],
        length(repository.push_principals) > 0 ? [{ Sid = "AllowPush", Effect = "Allow", Principal = { AWS = repository.push_principals }, Action = ["ecr:BatchCheckLayerAvailability", "ecr:CompleteLayerUpload", "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart"] }] : [],
      )
    }) if length(repository.pull_principals) + length(repository.push_principals) > 0
  }
}

resource "aws_ecr_repository" "this" {
  for_each             = var.repositories
  name                 = each.key
  image_tag_mutability = each.value.image_tag_mutability
  force_delete         = var.force_delete
  tags                 = var.tags
  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = var.kms_key_arn
  }
  image_scanning_configuration {
    scan_on_push = each.value.scan_on_push
  }
  lifecycle {
    precondition {
      condition     = split(":", var.kms_key_arn)[3] == local.region && split(":", var.kms_key_arn)[4] == local.account_id
      error_message = "The key ${var.kms_key_arn} must be in the account and region of the repositories (account ${local.account_id} in ${local.region}): create a key there (module kms-key)."
    }
  }
}

resource "aws_ecr_lifecycle_policy" "this" {
  for_each   = local.lifecycle_policies
  repository = aws_ecr_repository.this[each.key].name
  policy     = each.value
  lifecycle {
    precondition {
      condition     = length(each.value) <= 30720
      error_message = "the policy is ${length(each.value)} characters as JSON, above ECR's limit of 30720: use fewer rules or shorter descriptions and tag lists"
    }
  }
}

resource "aws_ecr_repository_policy" "this" {
  for_each   = local.repository_policies
  repository = aws_ecr_repository.this[each.key].name
  policy     = each.value
}
