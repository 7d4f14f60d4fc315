variable "destinations" {
  description = "Registries that receive every replicated repository: region and 12-digit registry (account) id, optionally the kms_key_arn and repositories outputs of the destination and the prefixes of its creation templates, to check before replicating."
  type = list(object({
    region      = string
    registry_id = string
    kms_key_arn = optional(string)
    repositories = optional(map(object({
      encryption_type = string
      kms_key         = string
    })))
    creation_template_prefixes = optional(list(string))
  }))
  validation {
    condition     = length(var.destinations) > 0
    error_message = "destinations (received []): must hold at least one destination registry, e.g. [{ region = \"eu-west-1\", registry_id = \"222222222222\" }]"
  }
  validation {
    condition     = alltrue([for index, destination in var.destinations : contains(["af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-7", "ca-central-1", "ca-west-1", "cn-north-1", "cn-northwest-1", "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3", "il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1", "us-east-1", "us-east-2", "us-gov-east-1", "us-gov-west-1", "us-west-1", "us-west-2"], destination.region)])
    error_message = "${join(", ", [for index, destination in var.destinations : "destinations[${index}].region (received ${jsonencode(destination.region)})" if !(contains(["af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-7", "ca-central-1", "ca-west-1", "cn-north-1", "cn-northwest-1", "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3", "il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1", "us-east-1", "us-east-2", "us-gov-east-1", "us-gov-west-1", "us-west-1", "us-west-2"], destination.region))])}: must be an AWS region where ECR and KMS are offered, e.g. us-east-1, eu-west-1 or us-gov-west-1"
  }
  validation {
    condition     = alltrue([for index, destination in var.destinations : can(regex("^\\d{12}$", destination.registry_id))])
    error_message = "${join(", ", [for index, destination in var.destinations : "destinations[${index}].registry_id (received ${jsonencode(destination.registry_id)})" if !(can(regex("^\\d{12}$", destination.registry_id)))])}: must be a 12-digit AWS account id in quotes, e.g. \"111111111111\""
  }
  validation {
    condition     = length(distinct([for destination in var.destinations : "${destination.registry_id}/${destination.region}"])) == length(var.destinations)
    error_message = "destinations: each destination registry (registry_id and region) may be listed once: remove the duplicate"
  }
}

variable "repository_names" {
  description = "Names (or name prefixes) of the replicated repositories, which every destination must hold; reduced to the fewest PREFIX_MATCH filters."
  type        = list(string)
  default     = []
  validation {
    condition     = alltrue([for index, name in var.repository_names : length(name) >= 2 && length(name) <= 256 && can(regex("^(?:[a-z0-9]+(?:[._-][a-z0-9]*)*/)*[a-z0-9]*(?:[._-][a-z0-9]*)*$", name))])
    error_message = "${join(", ", [for index, name in var.repository_names : "repository_names[${index}] (received ${jsonencode(name)})" if !(length(name) >= 2 && length(name) <= 256 && can(regex("^(?:[a-z0-9]+(?:[._-][a-z0-9]*)*/)*[a-z0-9]*(?:[._-][a-z0-9]*)*$", name)))])}: must be an ECR replication filter: 2 to 256 characters, a repository-name prefix (lowercase segments separated by \"/\")"
  }
}

variable "namespaces" {
  description = "Namespaces (prefixes ending in \"/\", e.g. team-a/) replicated as one filter each, repositories created later included; a destination creates their repositories from its creation templates."
  type        = list(string)
  default     = []
  validation {
    condition     = alltrue([for index, namespace in var.namespaces : length(namespace) >= 2 && length(namespace) <= 255])
    error_message = "${join(", ", [for index, namespace in var.namespaces : "namespaces[${index}] (received ${jsonencode(namespace)})" if !(length(namespace) >= 2 && length(namespace) <= 255)])}: must be 2 to 255 characters long (a replication filter, and room for a repository name of at most 256)"
  }
  validation {
    condition     = alltrue([for index, namespace in var.namespaces : !(length(namespace) >= 2 && length(namespace) <= 255) || can(regex("^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)+$", namespace))])
    error_message = "${join(", ", [for index, namespace in var.namespaces : "namespaces[${index}] (received ${jsonencode(namespace)})" if !(!(length(namespace) >= 2 && length(namespace) <= 255) || can(regex("^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)+$", namespace)))])}: must be a repository-name prefix of lowercase segments (letters and digits separated by \".\", \"_\" or \"-\"), each followed by \"/\", e.g. team-a/ or org/team-b/"
  }
}
