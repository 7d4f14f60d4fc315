variable "sources" {
  description = "Accounts that replicate into this registry, by name (used in the statement ids), each with its 12-digit id and the PREFIX_MATCH filters it replicates."
  type = map(object({
    account_id          = string
    replication_filters = list(string)
  }))
  validation {
    condition     = length(var.sources) > 0
    error_message = "List at least one source account: same-account replication needs no registry policy."
  }
  validation {
    condition     = alltrue([for source in values(var.sources) : can(regex("^[0-9]{12}$", source.account_id))])
    error_message = "Each account_id must be a 12-digit AWS account id in quotes, e.g. \"111111111111\"."
  }
  validation {
    condition     = alltrue([for source in values(var.sources) : length(source.replication_filters) > 0])
    error_message = "Each source needs at least one replication filter: list the repository prefixes it replicates."
  }
}
