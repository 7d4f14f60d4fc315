output "arn" {
  description = "ARN of the key."
  value       = aws_kms_key.this.arn
}

output "key_id" {
  description = "Id of the key."
  value       = aws_kms_key.this.key_id
}

output "alias_name" {
  description = "Alias of the key."
  value       = aws_kms_alias.this.name
}

output "policy" {
  description = "The key policy (JSON)."
  value       = aws_kms_key.this.policy
}

output "rotation" {
  description = "Automatic rotation of the key material as KMS reports it: enabled, and the period in days (0 where the API gives none)."
  value       = { enabled = aws_kms_key.this.enable_key_rotation, period_in_days = aws_kms_key.this.rotation_period_in_days }
}

output "protected" {
  description = "Whether a plan that deletes or replaces the key fails (prevent_destroy)."
  value       = length(terraform_data.key_protection) > 0
}
