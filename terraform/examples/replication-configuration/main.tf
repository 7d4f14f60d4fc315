provider "aws" {
  region = "eu-west-1"
}

module "replication_configuration" {
  source = "../../modules/replication-configuration"

  repository_names = ["team-a/api", "web"]
  destinations = [
    {
      region      = "us-west-2"
      registry_id = "111111111111"
    },
    {
      region      = "eu-west-1"
      registry_id = "222222222222"
    },
  ]
}
