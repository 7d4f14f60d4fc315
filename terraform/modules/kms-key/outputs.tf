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

output "protected" {
  description = "Whether a plan that deletes or replaces the key fails (prevent_destroy)."
  value       = length(terraform_data.key_protection) > 0
}
