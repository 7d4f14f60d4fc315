data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name
}

locals {
  key_policy_enable_account_root_and_iam_policies = {
    Sid    = "EnableAccountRootAndIamPolicies"
    Effect = "Allow"
    Principal = {
      AWS = "arn:${local.partition}:iam::${local.account_id}:root"
    }
    Action   = "kms:*"
    Resource = "*"
  }
  key_policy_allow_key_administration = {
    Sid    = "AllowKeyAdministration"
    Effect = "Allow"
    Principal = {
      AWS = var.administrators
    }
    Action = [
      "kms:CancelKeyDeletion",
      "kms:Create*",
      "kms:Delete*",
      "kms:Describe*",
      "kms:Disable*",
      "kms:Enable*",
      "kms:Get*",
      "kms:List*",
      "kms:Put*",
      "kms:Revoke*",
      "kms:RotateKeyOnDemand",
      "kms:ScheduleKeyDeletion",
      "kms:TagResource",
      "kms:UntagResource",
      "kms:Update*",
    ]
    Resource = "*"
  }
  key_policy_allow_key_use_through_ecr = {
    Sid    = "AllowKeyUseThroughEcr"
    Effect = "Allow"
    Principal = {
      AWS = var.users
    }
    Action   = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"]
    Resource = "*"
    Condition = {
      StringEquals = {
        "kms:ViaService"    = "ecr.${local.region}.${data.aws_partition.current.dns_suffix}"
        "kms:CallerAccount" = local.account_id
      }
    }
  }
  key_policy_allow_grants_for_ecr_repositories = {
    Sid    = "AllowGrantsForEcrRepositories"
    Effect = "Allow"
    Principal = {
      AWS = var.users
    }
    Action   = ["kms:CreateGrant", "kms:ListGrants", "kms:RetireGrant"]
    Resource = "*"
    Condition = {
      StringEquals = {
        "kms:ViaService"    = "ecr.${local.region}.${data.aws_partition.current.dns_suffix}"
        "kms:CallerAccount" = local.account_id
      }
      Bool = {
        "kms:GrantIsForAWSResource" = true
      }
    }
  }
  key_policy_allow_ecr_repository_creation_template_role = {
    Sid    = "AllowEcrRepositoryCreationTemplateRole"
    Effect = "Allow"
    Principal = {
      AWS = var.ecr_service_role_arns
    }
    Action   = ["kms:CreateGrant", "kms:DescribeKey", "kms:RetireGrant"]
    Resource = "*"
    Condition = {
      StringEquals = {
        "kms:ViaService"    = "ecr.${local.region}.${data.aws_partition.current.dns_suffix}"
        "kms:CallerAccount" = local.account_id
      }
    }
  }

  key_policy = {
    Version = "2012-10-17"
    Id      = "ecr-kms-replication-key-policy"
    Statement = concat(
      [local.key_policy_enable_account_root_and_iam_policies],
      length(var.administrators) > 0 ? [local.key_policy_allow_key_administration] : [],
      length(var.users) > 0 ? [local.key_policy_allow_key_use_through_ecr] : [],
      length(var.users) > 0 ? [local.key_policy_allow_grants_for_ecr_repositories] : [],
      length(var.ecr_service_role_arns) > 0 ? [local.key_policy_allow_ecr_repository_creation_template_role] : [],
    )
  }
}

resource "aws_kms_key" "this" {
  description              = var.description
  key_usage                = "ENCRYPT_DECRYPT"
  customer_master_key_spec = "SYMMETRIC_DEFAULT"
  enable_key_rotation      = true
  rotation_period_in_days  = var.rotation_period_in_days
  multi_region             = var.multi_region
  deletion_window_in_days  = var.deletion_window_in_days
  policy                   = jsonencode(local.key_policy)
  tags                     = var.tags
}

resource "aws_kms_alias" "this" {
  name          = var.alias
  target_key_id = aws_kms_key.this.key_id
}

resource "terraform_data" "key_protection" {
  # The protection: Terraform refuses to destroy this marker while the switch is on, and it is replaced
  # (so destroyed) whenever the key would be. The key itself never changes address: see the README.
  count = var.prevent_destroy ? 1 : 0

  triggers_replace = aws_kms_key.this.arn

  lifecycle {
    prevent_destroy = true
  }
}
