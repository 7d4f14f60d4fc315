provider "aws" {
  region = "eu-west-1"
}

module "replication_registry_policy" {
  source = "../../modules/replication-registry-policy"

  sources = {
    build = {
      account_id          = "111111111111"
      replication_filters = ["team-a/api", "web"]
    }
  }
}
