data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

module "key" {
  source = "../../../modules/kms-key"

  alias                   = var.key.alias
  description             = "ECR repositories of account ${data.aws_caller_identity.current.account_id} in ${data.aws_region.current.name} (ecr-kms-replication)"
  deletion_window_in_days = var.key.deletion_window_in_days
  rotation_period_in_days = var.key.rotation_period_in_days
  multi_region            = var.key.multi_region
  prevent_destroy         = var.key.prevent_destroy
  administrators          = var.key_administrators
  users                   = var.key_users
  ecr_service_role_arns   = var.repository_creation_templates ? [module.creation_templates[0].role_arn] : []
}

module "repositories" {
  count  = length(var.repositories) > 0 ? 1 : 0
  source = "../../../modules/encrypted-repositories"

  kms_key_arn  = module.key.arn
  repositories = var.repositories
}

module "creation_templates" {
  count  = var.repository_creation_templates ? 1 : 0
  source = "../../../modules/repository-creation-templates"

  kms_key_arn         = module.key.arn
  replication_filters = var.replication_filters
  lifecycle_rules     = var.template_lifecycle_rules
  resource_tags       = var.resource_tags
}

module "registry_policy" {
  count  = length(var.replication_sources) > 0 ? 1 : 0
  source = "../../../modules/replication-registry-policy"

  sources = var.replication_sources
}

module "scanning" {
  count  = var.scanning.enabled ? 1 : 0
  source = "../../../modules/registry-scanning"

  scan_type = var.scanning.scan_type
  rules     = var.scanning.rules
}
