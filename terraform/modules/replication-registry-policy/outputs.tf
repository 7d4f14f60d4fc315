output "registry_id" {
  description = "Account id of the registry the policy belongs to."
  value       = aws_ecr_registry_policy.this.registry_id
}

output "policy" {
  description = "The registry policy (JSON)."
  value       = aws_ecr_registry_policy.this.policy
}
