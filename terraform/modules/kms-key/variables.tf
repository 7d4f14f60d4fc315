variable "alias" {
  description = "Alias of the key (alias/<name>, not under alias/aws/)."
  type        = string
  default     = "alias/ecr-kms-replication"
  validation {
    condition     = can(regex("^alias/[a-zA-Z0-9/_-]{1,250}$", var.alias)) && !startswith(var.alias, "alias/aws/")
    error_message = "The alias must be alias/<name> with letters, digits, \"/\", \"_\" or \"-\" (at most 250 after alias/), not under alias/aws/ (reserved by AWS)."
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
    error_message = "The deletion_window_in_days must be a whole number of days from 7 to 30 (KMS deletion window)."
  }
}

variable "administrators" {
  description = "ARNs of principals that manage the key (never use it)."
  type        = list(string)
  default     = []
}

variable "users" {
  description = "ARNs of principals that use the key, only through ECR in this region."
  type        = list(string)
  default     = []
}

variable "ecr_service_role_arns" {
  description = "ARNs of roles ECR assumes to create repositories with this key (repository creation templates)."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags of the key."
  type        = map(string)
  default     = {}
}
