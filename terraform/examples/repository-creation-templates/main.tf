provider "aws" {
  region = "eu-west-1"
}

module "repository_creation_templates" {
  source = "../../modules/repository-creation-templates"

  kms_key_arn         = "arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555"
  replication_filters = ["team-a/api", "web"]
}
