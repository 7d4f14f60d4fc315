variable "sources" {
  description = "Accounts that replicate into this registry, by name (used in the statement ids), each with its 12-digit id and the PREFIX_MATCH filters it replicates."
  type = map(object({
    account_id          = string
    replication_filters = list(string)
  }))
  validation {
    condition     = length(var.sources) > 0
    error_message = "sources (received {}): must hold at least one account that replicates into this registry (same-account replication needs no registry policy)"
  }
  validation {
    condition     = alltrue([for name, source in var.sources : can(regex("^\\d{12}$", source.account_id))])
    error_message = "${join(", ", [for name, source in var.sources : "sources[\"${name}\"].account_id (received ${jsonencode(source.account_id)})" if !(can(regex("^\\d{12}$", source.account_id)))])}: must be a 12-digit AWS account id in quotes, e.g. \"111111111111\""
  }
  validation {
    condition     = alltrue([for name, source in var.sources : length(source.replication_filters) > 0])
    error_message = "${join(", ", [for name, source in var.sources : "sources[\"${name}\"].replication_filters (received ${jsonencode(source.replication_filters)})" if !(length(source.replication_filters) > 0)])}: must hold at least one replication filter: list the repository prefixes the source replicates"
  }
  validation {
    condition     = alltrue(flatten([for name, source in var.sources : [for index, filter in source.replication_filters : length(filter) >= 2 && length(filter) <= 256 && can(regex("^(?:[a-z0-9]+(?:[._-][a-z0-9]*)*/)*[a-z0-9]*(?:[._-][a-z0-9]*)*$", filter))]]))
    error_message = "${join(", ", flatten([for name, source in var.sources : [for index, filter in source.replication_filters : "sources[\"${name}\"].replication_filters[${index}] (received ${jsonencode(filter)})" if !(length(filter) >= 2 && length(filter) <= 256 && can(regex("^(?:[a-z0-9]+(?:[._-][a-z0-9]*)*/)*[a-z0-9]*(?:[._-][a-z0-9]*)*$", filter)))]]))}: must be an ECR replication filter: 2 to 256 characters, a repository-name prefix (lowercase segments separated by \"/\")"
  }
}
