output "filters" {
  description = "The PREFIX_MATCH filters: the fewest that cover the repository names and namespaces."
  value       = local.filters
}

output "rules" {
  description = "The replication rules: destinations and filters of each."
  value       = local.rules
}

output "registry_id" {
  description = "Account id of the source registry."
  value       = aws_ecr_replication_configuration.this.registry_id
}
