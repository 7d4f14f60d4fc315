variable "alias" {
  description = "Alias of the key (alias/<name>, not under alias/aws/)."
  type        = string
  default     = "alias/ecr-kms-replication"
  validation {
    condition     = can(regex("^alias/[a-zA-Z0-9/_-]{1,250}$", var.alias)) && !startswith(var.alias, "alias/aws/")
    error_message = "alias (received ${jsonencode(var.alias)}): must be alias/<name> with letters, digits, \"/\", \"_\" or \"-\" (at most 250 after alias/), not under alias/aws/ (reserved by AWS)"
  }
}

variable "description" {
  description = "Description of the key."
  type        = string
  default     = "ECR repositories of this registry (ecr-kms-replication)"
}

variable "deletion_window_in_days" {
  description = "Waiting period of a scheduled key deletion, 7 to 30 days."
  type        = number
  default     = 30
  validation {
    condition     = var.deletion_window_in_days == floor(var.deletion_window_in_days) && var.deletion_window_in_days >= 7 && var.deletion_window_in_days <= 30
    error_message = "deletion_window_in_days (received ${jsonencode(var.deletion_window_in_days)}): must be a whole number of days from 7 to 30 (KMS deletion window)"
  }
}

variable "rotation_period_in_days" {
  description = "Days between automatic rotations of the key material, 90 to 2560; null leaves KMS's default of 365 days."
  type        = number
  default     = null
  validation {
    condition     = var.rotation_period_in_days == null ? true : (var.rotation_period_in_days == floor(var.rotation_period_in_days) && var.rotation_period_in_days >= 90 && var.rotation_period_in_days <= 2560)
    error_message = "rotation_period_in_days (received ${jsonencode(var.rotation_period_in_days)}): must be a whole number of days from 90 to 2560 (KMS automatic rotation period): leave it unset for KMS's default of 365 days"
  }
}

variable "multi_region" {
  description = "Create a multi-Region primary key (mrk- id), which can be replicated into other regions. Fixed when the key is created: a change replaces the key."
  type        = bool
  default     = false
}

variable "prevent_destroy" {
  description = "Refuse any plan that deletes or replaces the key (Terraform prevent_destroy, on the key_protection marker). Set false only to tear down on purpose: a deleted key makes every image it encrypts unreadable."
  type        = bool
  default     = true
}

variable "administrators" {
  description = "ARNs of principals that manage the key (never use it)."
  type        = list(string)
  default     = []
  validation {
    condition     = alltrue([for index, arn in var.administrators : arn != "*"])
    error_message = "${join(", ", [for index, arn in var.administrators : "administrators[${index}] (received ${jsonencode(arn)})" if !(arn != "*")])}: must not be the wildcard principal \"*\" (anyone, in any AWS account): name the IAM roles or users instead, e.g. arn:aws:iam::111111111111:role/platform-admin"
  }
  validation {
    condition     = alltrue([for index, arn in var.administrators : arn == "*" || can(regex("^arn:(aws|aws-us-gov|aws-cn):(iam::\\d{12}:(root|user/[\\w+=,.@/-]{1,512}|role/[\\w+=,.@/-]{1,512})|sts::\\d{12}:assumed-role/[\\w+=,.@-]{1,64}/[\\w+=,.@-]{1,64})$", arn))])
    error_message = "${join(", ", [for index, arn in var.administrators : "administrators[${index}] (received ${jsonencode(arn)})" if !(arn == "*" || can(regex("^arn:(aws|aws-us-gov|aws-cn):(iam::\\d{12}:(root|user/[\\w+=,.@/-]{1,512}|role/[\\w+=,.@/-]{1,512})|sts::\\d{12}:assumed-role/[\\w+=,.@-]{1,64}/[\\w+=,.@-]{1,64})$", arn)))])}: must be an IAM principal ARN: arn:<partition>:iam::<12-digit account>:root, :user/<name> or :role/<name>, or arn:<partition>:sts::<12-digit account>:assumed-role/<role>/<session> (e.g. arn:aws:iam::111111111111:role/platform-admin)"
  }
}

variable "users" {
  description = "ARNs of principals that use the key, only through ECR in this region."
  type        = list(string)
  default     = []
  validation {
    condition     = alltrue([for index, arn in var.users : arn != "*"])
    error_message = "${join(", ", [for index, arn in var.users : "users[${index}] (received ${jsonencode(arn)})" if !(arn != "*")])}: must not be the wildcard principal \"*\" (anyone, in any AWS account): name the IAM roles or users instead, e.g. arn:aws:iam::111111111111:role/platform-admin"
  }
  validation {
    condition     = alltrue([for index, arn in var.users : arn == "*" || can(regex("^arn:(aws|aws-us-gov|aws-cn):(iam::\\d{12}:(root|user/[\\w+=,.@/-]{1,512}|role/[\\w+=,.@/-]{1,512})|sts::\\d{12}:assumed-role/[\\w+=,.@-]{1,64}/[\\w+=,.@-]{1,64})$", arn))])
    error_message = "${join(", ", [for index, arn in var.users : "users[${index}] (received ${jsonencode(arn)})" if !(arn == "*" || can(regex("^arn:(aws|aws-us-gov|aws-cn):(iam::\\d{12}:(root|user/[\\w+=,.@/-]{1,512}|role/[\\w+=,.@/-]{1,512})|sts::\\d{12}:assumed-role/[\\w+=,.@-]{1,64}/[\\w+=,.@-]{1,64})$", arn)))])}: must be an IAM principal ARN: arn:<partition>:iam::<12-digit account>:root, :user/<name> or :role/<name>, or arn:<partition>:sts::<12-digit account>:assumed-role/<role>/<session> (e.g. arn:aws:iam::111111111111:role/platform-admin)"
  }
}

variable "ecr_service_role_arns" {
  description = "ARNs of roles ECR assumes to create repositories with this key (repository creation templates)."
  type        = list(string)
  default     = []
  validation {
    condition     = alltrue([for index, arn in var.ecr_service_role_arns : can(regex("^arn:(aws|aws-us-gov|aws-cn):iam::\\d{12}:role/[\\w+=,.@/-]{1,512}$", arn))])
    error_message = "${join(", ", [for index, arn in var.ecr_service_role_arns : "ecr_service_role_arns[${index}] (received ${jsonencode(arn)})" if !(can(regex("^arn:(aws|aws-us-gov|aws-cn):iam::\\d{12}:role/[\\w+=,.@/-]{1,512}$", arn)))])}: must be an IAM role ARN: arn:<partition>:iam::<12-digit account>:role/<name> (e.g. arn:aws:iam::111111111111:role/ecr-replication-deployer)"
  }
}

variable "tags" {
  description = "Tags of the key."
  type        = map(string)
  default     = {}
}
