output "repositories" {
  description = "Repositories by name: arn, url, registry_id, encryption_type and kms_key."
  value       = { for name, repository in aws_ecr_repository.this : name => { arn = repository.arn, url = repository.repository_url, registry_id = repository.registry_id, encryption_type = repository.encryption_configuration[0].encryption_type, kms_key = repository.encryption_configuration[0].kms_key } }
}

output "registry_id" {
  description = "Account id of the registry."
  value       = local.account_id
}

output "region" {
  description = "Region of the registry."
  value       = local.region
}

output "lifecycle_policies" {
  description = "Lifecycle policies (JSON) by repository name."
  value       = { for name, policy in aws_ecr_lifecycle_policy.this : name => policy.policy }
}

output "repository_policies" {
  description = "Repository policies (JSON) by repository name."
  value       = { for name, policy in aws_ecr_repository_policy.this : name => policy.policy }
}
