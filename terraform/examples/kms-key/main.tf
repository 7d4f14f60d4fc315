provider "aws" {
  region = "eu-west-1"
}

module "kms_key" {
  source = "../../modules/kms-key"

  alias          = "alias/ecr-kms-replication"
  administrators = ["arn:aws:iam::111111111111:role/platform-key-admin"]
  users          = ["arn:aws:iam::111111111111:role/ci-image-publisher"]
}
