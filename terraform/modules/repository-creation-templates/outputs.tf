output "role_arn" {
  description = "ARN of the role ECR assumes (grant it the key: kms-key ecr_service_role_arns)."
  value       = aws_iam_role.this.arn
}

output "prefixes" {
  description = "Prefixes of the templates: the namespaces of the filters, ROOT for names without one."
  value       = local.prefixes
}

output "templates" {
  description = "Templates by prefix: encryption type, key, the role and the lifecycle policy."
  value       = { for prefix, item in aws_ecr_repository_creation_template.this : prefix => { encryption_type = item.encryption_configuration[0].encryption_type, kms_key = item.encryption_configuration[0].kms_key, custom_role_arn = item.custom_role_arn, lifecycle_policy = item.lifecycle_policy } }
}
