variable "kms_key_arn" {
  description = "ARN of the customer-managed KMS key that encrypts every repository (same account and region)."
  type        = string
  validation {
    condition     = can(regex("^arn:(aws|aws-us-gov|aws-cn):kms:([a-z0-9-]+):(\\d{12}):key/[0-9A-Za-z-]+$", var.kms_key_arn))
    error_message = "kms_key_arn (received ${jsonencode(var.kms_key_arn)}): must be the ARN of a customer-managed KMS key, arn:<partition>:kms:<region>:<account>:key/<key id>, in the account and region of the repositories; aliases (alias/aws/ecr included) are not accepted"
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
    error_message = "repositories (received {}): must hold at least one repository, e.g. { \"team-a/api\" = {} }"
  }
  validation {
    condition     = alltrue([for name in keys(var.repositories) : length(name) >= 2])
    error_message = "${join(", ", [for name in keys(var.repositories) : "repositories (received ${jsonencode(name)})" if !(length(name) >= 2)])}: must be 2 to 256 characters long (ECR repository name limit): use a longer name"
  }
  validation {
    condition     = alltrue([for name in keys(var.repositories) : length(name) <= 256])
    error_message = "${join(", ", [for name in keys(var.repositories) : "repositories (received ${jsonencode(name)})" if !(length(name) <= 256)])}: must be 2 to 256 characters long (ECR repository name limit): use a shorter name"
  }
  validation {
    condition     = alltrue([for name in keys(var.repositories) : !(length(name) >= 2 && length(name) <= 256) || can(regex("^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$", name))])
    error_message = "${join(", ", [for name in keys(var.repositories) : "repositories (received ${jsonencode(name)})" if !(!(length(name) >= 2 && length(name) <= 256) || can(regex("^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$", name)))])}: must match the ECR repository name pattern: lowercase letters and digits in segments separated by \".\", \"_\" or \"-\", namespaces separated by \"/\" (e.g. team-a/api)"
  }
  validation {
    condition     = alltrue([for name, repository in var.repositories : contains(["IMMUTABLE", "MUTABLE"], repository.image_tag_mutability)])
    error_message = "${join(", ", [for name, repository in var.repositories : "repositories[\"${name}\"].image_tag_mutability (received ${jsonencode(repository.image_tag_mutability)})" if !(contains(["IMMUTABLE", "MUTABLE"], repository.image_tag_mutability))])}: must be IMMUTABLE or MUTABLE (upper case)"
  }
  validation {
    condition     = alltrue(flatten([for name, repository in var.repositories : [for index, arn in repository.pull_principals : arn != "*"]]))
    error_message = "${join(", ", flatten([for name, repository in var.repositories : [for index, arn in repository.pull_principals : "repositories[\"${name}\"].pull_principals[${index}] (received ${jsonencode(arn)})" if !(arn != "*")]]))}: must not be the wildcard principal \"*\" (anyone, in any AWS account): name the IAM roles or users instead, e.g. arn:aws:iam::111111111111:role/platform-admin"
  }
  validation {
    condition     = alltrue(flatten([for name, repository in var.repositories : [for index, arn in repository.pull_principals : arn == "*" || can(regex("^arn:(aws|aws-us-gov|aws-cn):(iam::\\d{12}:(root|user/[\\w+=,.@/-]{1,512}|role/[\\w+=,.@/-]{1,512})|sts::\\d{12}:assumed-role/[\\w+=,.@-]{1,64}/[\\w+=,.@-]{1,64})$", arn))]]))
    error_message = "${join(", ", flatten([for name, repository in var.repositories : [for index, arn in repository.pull_principals : "repositories[\"${name}\"].pull_principals[${index}] (received ${jsonencode(arn)})" if !(arn == "*" || can(regex("^arn:(aws|aws-us-gov|aws-cn):(iam::\\d{12}:(root|user/[\\w+=,.@/-]{1,512}|role/[\\w+=,.@/-]{1,512})|sts::\\d{12}:assumed-role/[\\w+=,.@-]{1,64}/[\\w+=,.@-]{1,64})$", arn)))]]))}: must be an IAM principal ARN: arn:<partition>:iam::<12-digit account>:root, :user/<name> or :role/<name>, or arn:<partition>:sts::<12-digit account>:assumed-role/<role>/<session> (e.g. arn:aws:iam::111111111111:role/platform-admin)"
  }
  validation {
    condition     = alltrue(flatten([for name, repository in var.repositories : [for index, arn in repository.push_principals : arn != "*"]]))
    error_message = "${join(", ", flatten([for name, repository in var.repositories : [for index, arn in repository.push_principals : "repositories[\"${name}\"].push_principals[${index}] (received ${jsonencode(arn)})" if !(arn != "*")]]))}: must not be the wildcard principal \"*\" (anyone, in any AWS account): name the IAM roles or users instead, e.g. arn:aws:iam::111111111111:role/platform-admin"
  }
  validation {
    condition     = alltrue(flatten([for name, repository in var.repositories : [for index, arn in repository.push_principals : arn == "*" || can(regex("^arn:(aws|aws-us-gov|aws-cn):(iam::\\d{12}:(root|user/[\\w+=,.@/-]{1,512}|role/[\\w+=,.@/-]{1,512})|sts::\\d{12}:assumed-role/[\\w+=,.@-]{1,64}/[\\w+=,.@-]{1,64})$", arn))]]))
    error_message = "${join(", ", flatten([for name, repository in var.repositories : [for index, arn in repository.push_principals : "repositories[\"${name}\"].push_principals[${index}] (received ${jsonencode(arn)})" if !(arn == "*" || can(regex("^arn:(aws|aws-us-gov|aws-cn):(iam::\\d{12}:(root|user/[\\w+=,.@/-]{1,512}|role/[\\w+=,.@/-]{1,512})|sts::\\d{12}:assumed-role/[\\w+=,.@-]{1,64}/[\\w+=,.@-]{1,64})$", arn)))]]))}: must be an IAM principal ARN: arn:<partition>:iam::<12-digit account>:root, :user/<name> or :role/<name>, or arn:<partition>:sts::<12-digit account>:assumed-role/<role>/<session> (e.g. arn:aws:iam::111111111111:role/platform-admin)"
  }
  validation {
    condition     = alltrue(flatten([for name, repository in var.repositories : [for index, rule in repository.lifecycle_rules : contains(["tagged", "untagged", "any"], rule.selection.tag_status)]]))
    error_message = "${join(", ", flatten([for name, repository in var.repositories : [for index, rule in repository.lifecycle_rules : "repositories[\"${name}\"].lifecycle_rules[${index}].selection.tag_status (received ${jsonencode(rule.selection.tag_status)})" if !(contains(["tagged", "untagged", "any"], rule.selection.tag_status))]]))}: must be tagged, untagged or any"
  }
  validation {
    condition     = alltrue(flatten([for name, repository in var.repositories : [for index, rule in repository.lifecycle_rules : contains(["imageCountMoreThan", "sinceImagePushed"], rule.selection.count_type)]]))
    error_message = "${join(", ", flatten([for name, repository in var.repositories : [for index, rule in repository.lifecycle_rules : "repositories[\"${name}\"].lifecycle_rules[${index}].selection.count_type (received ${jsonencode(rule.selection.count_type)})" if !(contains(["imageCountMoreThan", "sinceImagePushed"], rule.selection.count_type))]]))}: must be imageCountMoreThan or sinceImagePushed"
  }
  validation {
    condition     = alltrue(flatten([for name, repository in var.repositories : [for index, rule in repository.lifecycle_rules : rule.selection.count_unit == null ? true : rule.selection.count_unit == "days"]]))
    error_message = "${join(", ", flatten([for name, repository in var.repositories : [for index, rule in repository.lifecycle_rules : "repositories[\"${name}\"].lifecycle_rules[${index}].selection.count_unit (received ${jsonencode(rule.selection.count_unit)})" if !(rule.selection.count_unit == null ? true : rule.selection.count_unit == "days")]]))}: must be days (the only unit)"
  }
  validation {
    condition     = alltrue(flatten([for name, repository in var.repositories : [for index, rule in repository.lifecycle_rules : rule.action_type == "expire"]]))
    error_message = "${join(", ", flatten([for name, repository in var.repositories : [for index, rule in repository.lifecycle_rules : "repositories[\"${name}\"].lifecycle_rules[${index}].action_type (received ${jsonencode(rule.action_type)})" if !(rule.action_type == "expire")]]))}: must be expire (the only lifecycle action)"
  }
  validation {
    condition     = alltrue(flatten([for name, repository in var.repositories : [for index, rule in repository.lifecycle_rules : rule.rule_priority == floor(rule.rule_priority) && rule.rule_priority >= 1]]))
    error_message = "${join(", ", flatten([for name, repository in var.repositories : [for index, rule in repository.lifecycle_rules : "repositories[\"${name}\"].lifecycle_rules[${index}].rule_priority (received ${jsonencode(rule.rule_priority)})" if !(rule.rule_priority == floor(rule.rule_priority) && rule.rule_priority >= 1)]]))}: must be a whole number, 1 or more"
  }
  validation {
    condition     = alltrue(flatten([for name, repository in var.repositories : [for index, rule in repository.lifecycle_rules : rule.selection.count_number == floor(rule.selection.count_number) && rule.selection.count_number >= 1]]))
    error_message = "${join(", ", flatten([for name, repository in var.repositories : [for index, rule in repository.lifecycle_rules : "repositories[\"${name}\"].lifecycle_rules[${index}].selection.count_number (received ${jsonencode(rule.selection.count_number)})" if !(rule.selection.count_number == floor(rule.selection.count_number) && rule.selection.count_number >= 1)]]))}: must be a whole number, 1 or more"
  }
  validation {
    condition     = alltrue(flatten([for name, repository in var.repositories : [for index, rule in repository.lifecycle_rules : rule.description == null ? true : length(rule.description) <= 256]]))
    error_message = "${join(", ", flatten([for name, repository in var.repositories : [for index, rule in repository.lifecycle_rules : "repositories[\"${name}\"].lifecycle_rules[${index}].description (received ${jsonencode(rule.description)})" if !(rule.description == null ? true : length(rule.description) <= 256)]]))}: must be at most 256 characters long: shorten it"
  }
  validation {
    condition     = alltrue(flatten([for name, repository in var.repositories : [for index, rule in repository.lifecycle_rules : [for entry, prefix in coalesce(rule.selection.tag_prefix_list, []) : length(prefix) > 0]]]))
    error_message = "${join(", ", flatten([for name, repository in var.repositories : [for index, rule in repository.lifecycle_rules : [for entry, prefix in coalesce(rule.selection.tag_prefix_list, []) : "repositories[\"${name}\"].lifecycle_rules[${index}].selection.tag_prefix_list[${entry}] (received ${jsonencode(prefix)})" if !(length(prefix) > 0)]]]))}: tag prefixes must not be empty: remove the entry or write the prefix"
  }
  validation {
    condition     = alltrue(flatten([for name, repository in var.repositories : [for index, rule in repository.lifecycle_rules : [for entry, pattern in coalesce(rule.selection.tag_pattern_list, []) : length(pattern) > 0]]]))
    error_message = "${join(", ", flatten([for name, repository in var.repositories : [for index, rule in repository.lifecycle_rules : [for entry, pattern in coalesce(rule.selection.tag_pattern_list, []) : "repositories[\"${name}\"].lifecycle_rules[${index}].selection.tag_pattern_list[${entry}] (received ${jsonencode(pattern)})" if !(length(pattern) > 0)]]]))}: tag patterns must not be empty: remove the entry or write the pattern"
  }
  validation {
    condition     = alltrue(flatten([for name, repository in var.repositories : [for index, rule in repository.lifecycle_rules : [for entry, pattern in coalesce(rule.selection.tag_pattern_list, []) : length(pattern) - length(replace(pattern, "*", "")) <= 4]]]))
    error_message = "${join(", ", flatten([for name, repository in var.repositories : [for index, rule in repository.lifecycle_rules : [for entry, pattern in coalesce(rule.selection.tag_pattern_list, []) : "repositories[\"${name}\"].lifecycle_rules[${index}].selection.tag_pattern_list[${entry}] (received ${jsonencode(pattern)})" if !(length(pattern) - length(replace(pattern, "*", "")) <= 4)]]]))}: tag patterns may hold at most 4 \"*\" wildcards (ECR lifecycle policy rule): use fewer"
  }
  validation {
    condition     = alltrue(flatten([for name, repository in var.repositories : [for index, rule in repository.lifecycle_rules : rule.selection.tag_status != "tagged" || rule.selection.tag_prefix_list != null || rule.selection.tag_pattern_list != null]]))
    error_message = "${join(", ", flatten([for name, repository in var.repositories : [for index, rule in repository.lifecycle_rules : "repositories[\"${name}\"].lifecycle_rules[${index}].selection.tag_status (received ${jsonencode(rule.selection.tag_status)})" if !(rule.selection.tag_status != "tagged" || rule.selection.tag_prefix_list != null || rule.selection.tag_pattern_list != null)]]))}: a rule with tagStatus tagged needs tagPrefixList or tagPatternList: add one, or use tagStatus any"
  }
  validation {
    condition     = alltrue(flatten([for name, repository in var.repositories : [for index, rule in repository.lifecycle_rules : rule.selection.tag_prefix_list == null || rule.selection.tag_pattern_list == null]]))
    error_message = "${join(", ", flatten([for name, repository in var.repositories : [for index, rule in repository.lifecycle_rules : "repositories[\"${name}\"].lifecycle_rules[${index}].selection.tag_pattern_list (received ${jsonencode(rule.selection.tag_pattern_list)})" if !(rule.selection.tag_prefix_list == null || rule.selection.tag_pattern_list == null)]]))}: tagPrefixList and tagPatternList cannot both be set in one rule: keep one of them"
  }
  validation {
    condition     = alltrue(flatten([for name, repository in var.repositories : [for index, rule in repository.lifecycle_rules : rule.selection.tag_status == "tagged" || (rule.selection.tag_prefix_list == null && rule.selection.tag_pattern_list == null)]]))
    error_message = "${join(", ", flatten([for name, repository in var.repositories : [for index, rule in repository.lifecycle_rules : "repositories[\"${name}\"].lifecycle_rules[${index}].selection.tag_status (received ${jsonencode(rule.selection.tag_status)})" if !(rule.selection.tag_status == "tagged" || (rule.selection.tag_prefix_list == null && rule.selection.tag_pattern_list == null))]]))}: tagPrefixList and tagPatternList are allowed only with tagStatus tagged: set tagStatus to tagged or remove the list"
  }
  validation {
    condition     = alltrue(flatten([for name, repository in var.repositories : [for index, rule in repository.lifecycle_rules : rule.selection.count_type != "sinceImagePushed" || rule.selection.count_unit != null]]))
    error_message = "${join(", ", flatten([for name, repository in var.repositories : [for index, rule in repository.lifecycle_rules : "repositories[\"${name}\"].lifecycle_rules[${index}].selection.count_unit (received ${jsonencode(rule.selection.count_unit)})" if !(rule.selection.count_type != "sinceImagePushed" || rule.selection.count_unit != null)]]))}: countUnit is required with countType sinceImagePushed: add countUnit: days"
  }
  validation {
    condition     = alltrue(flatten([for name, repository in var.repositories : [for index, rule in repository.lifecycle_rules : rule.selection.count_type != "imageCountMoreThan" || rule.selection.count_unit == null]]))
    error_message = "${join(", ", flatten([for name, repository in var.repositories : [for index, rule in repository.lifecycle_rules : "repositories[\"${name}\"].lifecycle_rules[${index}].selection.count_unit (received ${jsonencode(rule.selection.count_unit)})" if !(rule.selection.count_type != "imageCountMoreThan" || rule.selection.count_unit == null)]]))}: countUnit is allowed only with countType sinceImagePushed: remove it"
  }
  validation {
    condition     = alltrue(flatten([for name, repository in var.repositories : [for index, rule in repository.lifecycle_rules : index([for other in repository.lifecycle_rules : other.rule_priority], rule.rule_priority) == index]]))
    error_message = join("; ", flatten([for name, repository in var.repositories : [for index, rule in repository.lifecycle_rules : "repositories[\"${name}\"].lifecycle_rules[${index}].rule_priority (received ${jsonencode(rule.rule_priority)}): rule priorities must be unique within a lifecycle policy (rules[${index([for other in repository.lifecycle_rules : other.rule_priority], rule.rule_priority)}] has it too): choose another number" if !(index([for other in repository.lifecycle_rules : other.rule_priority], rule.rule_priority) == index)]]))
  }
  validation {
    condition     = alltrue([for name, repository in var.repositories : length([for other in repository.lifecycle_rules : other.rule_priority if other.selection.tag_status == "any"]) <= 1])
    error_message = "${join(", ", [for name, repository in var.repositories : "repositories[\"${name}\"].lifecycle_rules (received ${jsonencode([for other in repository.lifecycle_rules : other.rule_priority if other.selection.tag_status == "any"])})" if !(length([for other in repository.lifecycle_rules : other.rule_priority if other.selection.tag_status == "any"]) <= 1)])}: at most one rule may have tagStatus any: merge them"
  }
  validation {
    condition     = alltrue(flatten([for name, repository in var.repositories : [for index, rule in repository.lifecycle_rules : rule.selection.tag_status != "any" || rule.rule_priority == max(concat([for other in repository.lifecycle_rules : other.rule_priority], [0])...)]]))
    error_message = join("; ", flatten([for name, repository in var.repositories : [for index, rule in repository.lifecycle_rules : "repositories[\"${name}\"].lifecycle_rules[${index}].selection.tag_status (received ${jsonencode(rule.selection.tag_status)}): the rule with tagStatus any must have the highest rulePriority (evaluated last): give it a number above ${max(concat([for other in repository.lifecycle_rules : other.rule_priority], [0])...)}" if !(rule.selection.tag_status != "any" || rule.rule_priority == max(concat([for other in repository.lifecycle_rules : other.rule_priority], [0])...))]]))
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
