variable "kms_key_arn" {
  description = "ARN of the customer-managed KMS key that encrypts every repository (same account and region)."
  type        = string
  validation {
    condition     = can(regex("^arn:aws(-us-gov|-cn)?:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", var.kms_key_arn))
    error_message = "The kms_key_arn must be the ARN of a customer-managed KMS key, arn:<partition>:kms:<region>:<account>:key/<id> (not an alias, not aws/ecr): create one with module kms-key."
  }
}

variable "repositories" {
  description = "Repositories by name, each with optional tag mutability, scan on push, lifecycle rules and principals that may pull or push."
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
  validation {
    condition     = length(var.repositories) > 0
    error_message = "List at least one repository."
  }
  validation {
    condition     = alltrue([for name in keys(var.repositories) : length(name) >= 2 && length(name) <= 256 && can(regex("^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$", name))])
    error_message = "Repository names must be 2 to 256 characters and match the ECR repository name pattern: lowercase letters and digits in segments separated by \".\", \"_\" or \"-\", namespaces separated by \"/\" (e.g. team-a/api)."
  }
  validation {
    condition     = alltrue([for repository in values(var.repositories) : contains(["IMMUTABLE", "MUTABLE"], repository.image_tag_mutability)])
    error_message = "The image_tag_mutability must be IMMUTABLE or MUTABLE."
  }
  validation {
    condition     = alltrue(flatten([for name, repository in var.repositories : [for rule in repository.lifecycle_rules : contains(["tagged", "untagged", "any"], rule.selection.tag_status) && contains(["imageCountMoreThan", "sinceImagePushed"], rule.selection.count_type) && rule.action_type == "expire"]]))
    error_message = "Lifecycle rules: tag_status must be one of tagged, untagged, any, count_type one of imageCountMoreThan, sinceImagePushed and action_type expire."
  }
  validation {
    condition     = alltrue(flatten([for name, repository in var.repositories : [for rule in repository.lifecycle_rules : rule.selection.tag_status != "tagged" || rule.selection.tag_prefix_list != null || rule.selection.tag_pattern_list != null]]))
    error_message = "Lifecycle rules: a rule with tagStatus tagged needs tagPrefixList or tagPatternList: add one, or use tagStatus any."
  }
  validation {
    condition     = alltrue(flatten([for name, repository in var.repositories : [for rule in repository.lifecycle_rules : rule.selection.tag_prefix_list == null || rule.selection.tag_pattern_list == null]]))
    error_message = "Lifecycle rules: tagPrefixList and tagPatternList cannot both be set in one rule: keep one of them."
  }
  validation {
    condition     = alltrue(flatten([for name, repository in var.repositories : [for rule in repository.lifecycle_rules : rule.selection.tag_status == "tagged" || (rule.selection.tag_prefix_list == null && rule.selection.tag_pattern_list == null)]]))
    error_message = "Lifecycle rules: tagPrefixList and tagPatternList are allowed only with tagStatus tagged: set tagStatus to tagged or remove the list."
  }
  validation {
    condition     = alltrue(flatten([for name, repository in var.repositories : [for rule in repository.lifecycle_rules : rule.selection.count_type != "sinceImagePushed" || rule.selection.count_unit != null]]))
    error_message = "Lifecycle rules: countUnit is required with countType sinceImagePushed: add countUnit: days."
  }
  validation {
    condition     = alltrue(flatten([for name, repository in var.repositories : [for rule in repository.lifecycle_rules : rule.selection.count_type != "imageCountMoreThan" || rule.selection.count_unit == null]]))
    error_message = "Lifecycle rules: countUnit is allowed only with countType sinceImagePushed: remove it."
  }
  validation {
    condition     = alltrue([for name, repository in var.repositories : length(distinct([for rule in repository.lifecycle_rules : rule.rule_priority])) == length(repository.lifecycle_rules)])
    error_message = "Lifecycle rules: rule priorities must be unique within a repository lifecycle policy: choose another number."
  }
}

variable "force_delete" {
  description = "Delete a repository even when it holds images."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags of the repositories."
  type        = map(string)
  default     = {}
}
