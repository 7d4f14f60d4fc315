provider "aws" {
  region = "eu-west-1"
}

module "encrypted_repositories" {
  source = "../../modules/encrypted-repositories"

  kms_key_arn = "arn:aws:kms:eu-west-1:111111111111:key/11111111-2222-3333-4444-555555555555"
  repositories = {
    "team-a/api" = {
      lifecycle_rules = [
        {
          rule_priority = 1
          description   = "expire untagged images after 14 days"
          selection = {
            tag_status   = "untagged"
            count_type   = "sinceImagePushed"
            count_unit   = "days"
            count_number = 14
          }
        },
      ]
      pull_principals = ["arn:aws:iam::222222222222:role/eks-node"]
    }
    web = {}
  }
}
