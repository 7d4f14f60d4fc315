variable "key" {
  description = "Settings of the registry's key (module kms-key)."
  type = object({
    alias                   = optional(string, "alias/ecr-kms-replication")
    deletion_window_in_days = optional(number, 30)
    rotation_period_in_days = optional(number)
    multi_region            = optional(bool, false)
    prevent_destroy         = optional(bool, true)
  })
}

variable "key_administrators" {
  description = "ARNs of principals that manage the key."
  type        = list(string)
  default     = []
}

variable "key_users" {
  description = "ARNs of principals that use the key through ECR."
  type        = list(string)
  default     = []
}

variable "repositories" {
  description = "Repositories created here (module encrypted-repositories); none: {}."
  type = map(object({
    image_tag_mutability = optional(string, "IMMUTABLE")
    scan_on_push         = optional(bool, true)
    lifecycle_rules = optional(list(object({
      rule_priority = number
      description   = optional(string)
      selection = object({
        tag_status       = string
        tag_prefix_list  = optional(list(string))
        tag_pattern_list = optional(list(string))
        count_type       = string
        count_unit       = optional(string)
        count_number     = number
      })
      action_type = optional(string, "expire")
    })), [])
    pull_principals = optional(list(string), [])
    push_principals = optional(list(string), [])
  }))
  default = {}
}

variable "repository_creation_templates" {
  description = "Create repository creation templates for the replicated filters (module repository-creation-templates)."
  type        = bool
  default     = false
}

variable "replication_filters" {
  description = "The PREFIX_MATCH filters replicated into this registry."
  type        = list(string)
  default     = []
}

variable "template_lifecycle_rules" {
  description = "Lifecycle rules of the repositories the templates create."
  type = list(object({
    rule_priority = number
    description   = optional(string)
    selection = object({
      tag_status       = string
      tag_prefix_list  = optional(list(string))
      tag_pattern_list = optional(list(string))
      count_type       = string
      count_unit       = optional(string)
      count_number     = number
    })
    action_type = optional(string, "expire")
  }))
  default = []
}

variable "replication_sources" {
  description = "Other accounts that replicate into this registry, with their filters (module replication-registry-policy); none: {}."
  type = map(object({
    account_id          = string
    replication_filters = list(string)
  }))
  default = {}
}

variable "scanning" {
  description = "The registry's scanning configuration (module registry-scanning), or none."
  type = object({
    enabled   = optional(bool, true)
    scan_type = optional(string, "BASIC")
    rules = optional(list(object({
      frequency = string
      filters   = list(string)
    })), [{ frequency = "SCAN_ON_PUSH", filters = ["*"] }])
  })
}

variable "resource_tags" {
  description = "Tags of the repositories the creation templates create."
  type        = map(string)
  default     = {}
}
