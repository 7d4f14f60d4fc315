output "registry_id" {
  description = "Account id of the registry."
  value       = data.aws_caller_identity.current.account_id
}

output "region" {
  description = "Region of the registry."
  value       = data.aws_region.current.name
}

output "key" {
  description = "The key: ARN, alias, whether it is protected from destroy, and its rotation as KMS reports it."
  value       = { arn = module.key.arn, alias = module.key.alias_name, protected = module.key.protected, rotation = module.key.rotation }
}

output "repositories" {
  description = "Repositories by name: arn, url, registry_id, encryption_type and kms_key."
  value       = try(module.repositories[0].repositories, {})
}

output "creation_template_prefixes" {
  description = "Prefixes of the creation templates (none without templates)."
  value       = var.repository_creation_templates ? module.creation_templates[0].prefixes : []
}

output "registry_policy" {
  description = "The registry policy (JSON), or null without one."
  value       = one(module.registry_policy[*].policy)
}

output "summary" {
  description = "The outputs above in one object, for the complete example's registries output."
  value = {
    registry_id                = data.aws_caller_identity.current.account_id
    region                     = data.aws_region.current.name
    key                        = { arn = module.key.arn, alias = module.key.alias_name, protected = module.key.protected, rotation = module.key.rotation }
    repositories               = try(module.repositories[0].repositories, {})
    registry_policy            = one(module.registry_policy[*].policy)
    creation_template_prefixes = var.repository_creation_templates ? module.creation_templates[0].prefixes : []
  }
}

output "replication_destination" {
  description = "This registry as a destination of module replication-configuration: region, registry id, key and repositories to check."
  value = {
    region                     = data.aws_region.current.name
    registry_id                = data.aws_caller_identity.current.account_id
    kms_key_arn                = module.key.arn
    repositories               = try(module.repositories[0].repositories, {})
    creation_template_prefixes = var.repository_creation_templates ? module.creation_templates[0].prefixes : []
  }
}
