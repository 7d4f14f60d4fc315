variable "destinations" {
  description = "Registries that receive every replicated repository: region and 12-digit registry (account) id, optionally the kms_key_arn and repositories outputs of the destination to check before replicating."
  type = list(object({
    region      = string
    registry_id = string
    kms_key_arn = optional(string)
    repositories = optional(map(object({
      encryption_type = string
      kms_key         = string
    })))
  }))
  validation {
    condition     = length(var.destinations) > 0
    error_message = "List at least one destination registry."
  }
  validation {
    condition     = alltrue([for destination in var.destinations : contains(["af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-7", "ca-central-1", "ca-west-1", "cn-north-1", "cn-northwest-1", "eu-central-1", "eu-central-2", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3", "il-central-1", "me-central-1", "me-south-1", "mx-central-1", "sa-east-1", "us-east-1", "us-east-2", "us-gov-east-1", "us-gov-west-1", "us-west-1", "us-west-2"], destination.region)])
    error_message = "Each destination region must be an AWS region where ECR and KMS are offered, e.g. us-east-1, eu-west-1 or us-gov-west-1."
  }
  validation {
    condition     = alltrue([for destination in var.destinations : can(regex("^[0-9]{12}$", destination.registry_id))])
    error_message = "Each registry_id must be a 12-digit AWS account id in quotes, e.g. \"222222222222\"."
  }
  validation {
    condition     = length(distinct([for destination in var.destinations : "${destination.registry_id}/${destination.region}"])) == length(var.destinations)
    error_message = "Each destination registry may be listed once."
  }
}

variable "repository_names" {
  description = "Names (or name prefixes) of the replicated repositories; reduced to the fewest PREFIX_MATCH filters."
  type        = list(string)
  validation {
    condition     = length(var.repository_names) > 0
    error_message = "List at least one repository name."
  }
  validation {
    condition     = alltrue([for name in var.repository_names : can(regex("^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$", name))])
    error_message = "Repository names must match the ECR repository name pattern: lowercase letters and digits in segments separated by \".\", \"_\" or \"-\", namespaces separated by \"/\" (e.g. team-a/api)."
  }
}
