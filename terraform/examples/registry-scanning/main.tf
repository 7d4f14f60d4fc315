provider "aws" {
  region = "eu-west-1"
}

module "registry_scanning" {
  source = "../../modules/registry-scanning"

  scan_type = "ENHANCED"
  rules = [
    {
      frequency = "CONTINUOUS_SCAN"
      filters   = ["team-a/*"]
    },
    {
      frequency = "SCAN_ON_PUSH"
      filters   = ["*"]
    },
  ]
}
