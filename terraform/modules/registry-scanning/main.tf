resource "aws_ecr_registry_scanning_configuration" "this" {
  scan_type = var.scan_type
  dynamic "rule" {
    for_each = var.rules
    content {
      scan_frequency = rule.value.frequency
      dynamic "repository_filter" {
        for_each = rule.value.filters
        content {
          filter      = repository_filter.value
          filter_type = "WILDCARD"
        }
      }
    }
  }
}
