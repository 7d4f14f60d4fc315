output "registries" {
  description = "Each registry, source and destination_<n>: account id, region, key, repositories, registry policy and creation template prefixes."
  value = merge(
    { source = module.source.summary },
    { for registry in module.destination_0 : "destination_0" => registry.summary },
    { for registry in module.destination_1 : "destination_1" => registry.summary },
    { for registry in module.destination_2 : "destination_2" => registry.summary },
  )
}

output "replication_filters" {
  description = "The PREFIX_MATCH filters of the replication configuration."
  value       = module.replication.filters
}

output "replication_rules" {
  description = "The replication rules as ECR holds them: destinations (registry_id/region) and filters of each rule."
  value       = module.replication.configuration
}
