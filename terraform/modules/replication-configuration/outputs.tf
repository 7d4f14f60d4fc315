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

output "configuration" {
  description = "The rules as ECR holds them (read back after apply): the destinations (registry_id/region) and PREFIX_MATCH filters of each rule."
  value       = [for rule in aws_ecr_replication_configuration.this.replication_configuration[0].rule : { destinations = [for destination in rule.destination : "${destination.registry_id}/${destination.region}"], filters = [for filter in rule.repository_filter : "${filter.filter_type}:${filter.filter}"] }]
}
