variable "kms_key_arn" {
  description = "ARN of the destination registry's customer-managed KMS key."
  type        = string
  validation {
    condition     = can(regex("^arn:aws(-us-gov|-cn)?:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+$", var.kms_key_arn))
    error_message = "The kms_key_arn must be the ARN of a customer-managed KMS key, arn:<partition>:kms:<region>:<account>:key/<id> (not an alias, not aws/ecr): create one with module kms-key."
  }
}

variable "replication_filters" {
  description = "The PREFIX_MATCH filters that replicate into this registry."
  type        = list(string)
  validation {
    condition     = length(var.replication_filters) > 0
    error_message = "List at least one replication filter."
  }
}

variable "role_name" {
  description = "Name of the role ECR assumes; null gives ecr-replication-templates-<region>."
  type        = string
  default     = null
}

variable "lifecycle_policy" {
  description = "Lifecycle policy (ECR JSON, e.g. jsonencode({ rules = [...] })) of the repositories the templates create; null sets none."
  type        = string
  default     = null
  validation {
    condition     = var.lifecycle_policy == null || can(length(jsondecode(var.lifecycle_policy).rules) > 0)
    error_message = "The lifecycle_policy must be an ECR lifecycle policy document with at least one rule, e.g. jsonencode({ rules = [...] }), or null."
  }
}

variable "resource_tags" {
  description = "Tags of the repositories the templates create."
  type        = map(string)
  default     = {}
}

variable "tags" {
  description = "Tags of the role."
  type        = map(string)
  default     = {}
}
