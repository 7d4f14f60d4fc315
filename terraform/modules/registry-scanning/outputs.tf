output "registry_id" {
  description = "Account id of the registry."
  value       = aws_ecr_registry_scanning_configuration.this.registry_id
}

output "scan_type" {
  description = "The scan type of the registry."
  value       = aws_ecr_registry_scanning_configuration.this.scan_type
}
