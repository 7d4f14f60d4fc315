variable "scan_type" {
  description = "BASIC (on push, free) or ENHANCED (Amazon Inspector, continuous scanning possible)."
  type        = string
  default     = "BASIC"
  validation {
    condition     = contains(["BASIC", "ENHANCED"], var.scan_type)
    error_message = "The scan_type must be one of BASIC, ENHANCED."
  }
}

variable "rules" {
  description = "Scanning rules, at most 2 (one per frequency): the frequency and the WILDCARD repository filters (`*` matches any characters)."
  type = list(object({
    frequency = string
    filters   = list(string)
  }))
  default = [
    {
      frequency = "SCAN_ON_PUSH"
      filters   = ["*"]
    },
  ]
  validation {
    condition     = length(var.rules) >= 1 && length(var.rules) <= 2
    error_message = "List 1 to 2 rules (ECR limit), e.g. [{ frequency = \"SCAN_ON_PUSH\", filters = [\"*\"] }]."
  }
  validation {
    condition     = alltrue([for rule in var.rules : contains(["SCAN_ON_PUSH", "CONTINUOUS_SCAN"], rule.frequency)])
    error_message = "A rule's frequency must be one of SCAN_ON_PUSH, CONTINUOUS_SCAN."
  }
  validation {
    condition     = length(distinct([for rule in var.rules : rule.frequency])) == length(var.rules)
    error_message = "Each frequency may appear in one rule only: merge the filters of rules with the same frequency."
  }
  validation {
    condition     = alltrue([for rule in var.rules : length(rule.filters) >= 1 && length(rule.filters) <= 100])
    error_message = "A rule holds 1 to 100 filters (ECR limit per scanning rule), e.g. [\"*\"]."
  }
  validation {
    condition     = alltrue(flatten([for index, rule in var.rules : [for entry, filter in rule.filters : can(regex("^[a-z0-9*](?:[._\\-/a-z0-9*]?[a-z0-9*]+)*$", filter))]]))
    error_message = "${join(", ", flatten([for index, rule in var.rules : [for entry, filter in rule.filters : "rules[${index}].filters[${entry}] (received ${jsonencode(filter)})" if !(can(regex("^[a-z0-9*](?:[._\\-/a-z0-9*]?[a-z0-9*]+)*$", filter)))]]))}: must be lowercase letters, digits, \".\", \"_\", \"-\", \"/\" and \"*\" wildcards, e.g. \"*\" or \"team-a/*\""
  }
  validation {
    condition     = var.scan_type == "ENHANCED" || alltrue([for rule in var.rules : rule.frequency != "CONTINUOUS_SCAN"])
    error_message = "CONTINUOUS_SCAN needs scan_type ENHANCED (basic scanning scans on push only): set scan_type = \"ENHANCED\" or use SCAN_ON_PUSH."
  }
}
